package orrery.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orrery}: talk to the dependency manager. */
@Command(name = "orrery", mixinStandardHelpOptions = true, version = "orrery 0.1.0",
        description = "Build artefacts with the Orrery dependency manager, follow builds live, inspect the graph.",
        subcommands = {BuildCommand.class, StatusCommand.class, GraphCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success; the target is up to date",
            "1:the build failed, or the target's last build failed",
            "2:wrong command line",
            "3:the target is not up to date (status)",
            "4:no such target or build",
            "5:the dependency manager is unreachable or failed",
            "6:the dependency manager refused the request"})
public final class Orrery {

    @Option(names = "--url", description = "The dependency manager (default: $ORRERY_DEPS_URL or http://127.0.0.1:8084)")
    String url;

    DepsClient client() {
        String chosen = url != null ? url : System.getenv().getOrDefault("ORRERY_DEPS_URL", "http://127.0.0.1:8084");
        return new DepsClient(chosen);
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new Orrery());
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ApiException api) {
                cmd.getErr().println("orrery: " + api.getMessage());
                return api.exitCode();
            }
            throw e;
        });
        return line.execute(args);
    }
}
