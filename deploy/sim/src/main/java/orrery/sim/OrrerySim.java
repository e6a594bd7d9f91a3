package orrery.sim;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Map;
import orrery.sim.cli.CommandFailure;
import orrery.sim.controller.RunCommand;
import orrery.sim.model.ModelCommand;
import orrery.sim.replay.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code orrery-sim}: simulated time for the suite. Each subcommand lives in a package of its own
 * and may take the process environment in a constructor {@code (Map<String, String>)}.
 */
@Command(name = "orrery-sim", mixinStandardHelpOptions = true, version = "orrery-sim 0.1.0",
        description = "Simulated time for Orrery: the time controller (run) and the workload driver (replay), the asynchronous scale model (model). "
                + "See deploy/sim/README.md.",
        subcommands = {RunCommand.class, ReplayCommand.class, ModelCommand.class},
        footerHeading = "%nNATS:%n",
        footer = {"--nats/--user/--password, or ORRERY_NATS_URL, ORRERY_NATS_USERNAME (default admin), ORRERY_NATS_PASSWORD",
            "(locally: export ORRERY_NATS_PASSWORD=$(cat .run/credentials/nats-admin.password))."})
public final class OrrerySim {

    private OrrerySim() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line with {@code environment} in place of the process's; returns the exit code. */
    public static int run(Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new OrrerySim(), new EnvironmentFactory(environment));
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CommandFailure failure) {
                cmd.getErr().println("orrery-sim: " + failure.getMessage());
                return failure.exitCode();
            }
            throw e;
        });
        return line.execute(args);
    }

    /** Gives commands that take one the environment, so that tests can pass theirs. */
    private record EnvironmentFactory(Map<String, String> environment) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            Constructor<K> constructor;
            try {
                constructor = type.getDeclaredConstructor(Map.class);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
            constructor.setAccessible(true);
            return constructor.newInstance(environment);
        }
    }
}
