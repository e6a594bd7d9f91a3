package orrery.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orrery}: talk to the dependency manager. */
@Command(name = "orrery", mixinStandardHelpOptions = true, version = "orrery 0.1.0",
        description = "Build artefacts with the Orrery dependency manager, follow builds live, inspect the graph.",
        subcommands = {BuildCommand.class, StatusCommand.class, GraphCommand.class, DlqCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success; the target is up to date",
            "1:the build failed, or the target's last build failed",
            "2:wrong command line",
            "3:the target is not up to date (status)",
            "4:no such target or build",
            "5:the dependency manager is unreachable or failed",
            "6:the dependency manager refused the request",
            "7:no token, or the dependency manager does not accept it (401) or allow it (403)"},
        footerHeading = "%nAuthentication:%n",
        footer = {"Every request carries 'Authorization: Bearer <JWT>', from --token or $ORRERY_TOKEN",
            "(the environment keeps it out of the process list). On a laptop: export ORRERY_TOKEN=$(deploy/local/token.sh alice)",
            "'orrery dlq' talks to NATS instead, as user admin: ORRERY_NATS_URL, ORRERY_NATS_PASSWORD",
            "(locally: export ORRERY_NATS_PASSWORD=$(cat .run/credentials/nats-admin.password))."})
public final class Orrery {

    @Option(names = "--url", description = "The dependency manager (default: $ORRERY_DEPS_URL or http://127.0.0.1:8084)")
    String url;

    @Option(names = "--token", paramLabel = "<JWT>",
            description = "Bearer token to send (default: $ORRERY_TOKEN; prefer the variable, a token on the command "
                    + "line is visible to other users of the machine)")
    String token;

    private final Map<String, String> environment;

    private Orrery(Map<String, String> environment) {
        this.environment = environment;
    }

    Map<String, String> environment() {
        return environment;
    }

    DepsClient client() {
        String chosen = url != null ? url : environment.getOrDefault("ORRERY_DEPS_URL", "http://127.0.0.1:8084");
        String bearer = token != null ? token : environment.get("ORRERY_TOKEN");
        return new DepsClient(chosen, bearer == null || bearer.isBlank() ? null : bearer.strip(),
                token != null ? "--token" : "ORRERY_TOKEN");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(System.getenv(), out, err, args);
    }

    /** As {@link #run(PrintWriter, PrintWriter, String...)}, with {@code environment} in place of the process's. */
    public static int run(Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new Orrery(environment));
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
