package orrery.sim.model;

import io.nats.client.Connection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import orrery.sim.cli.CommandFailure;
import orrery.sim.cli.ExitCodes;
import orrery.sim.cli.NatsLogin;
import orrery.sim.cli.StderrLog;
import orrery.sim.replay.Participant;
import orrery.sim.workload.Range;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code orrery-sim model}: one run of the asynchronous scale model; {@code model experiment} runs the programme. */
@Command(name = "model", mixinStandardHelpOptions = true, sortOptions = false, subcommands = {ExperimentCommand.class, BaselineCommand.class},
        description = {"Run the asynchronous scale model: N machines, each ticking at its own rate with a Lamport clock (and a "
                + "vector clock), a log of its own and a queue of letters from NATS (subjects sim.model.<run>.<machine>). On "
                + "the simulated clock by default (the same run from the same seed, in a fraction of the time); --real runs it "
                + "in real time.",
            "Writes the logs, shiviz.log, summary.json, machines.csv and charts (SVG, PNG) into --out; prints the summary's "
                + "path on stdout. See deploy/sim/README.md, \"The scale model\"."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run finished", "1:failed", "2:wrong command line", "3:NATS unreachable", "4:NATS refused the login"})
public final class ModelCommand implements Callable<Integer> {

    @Option(names = "--machines", defaultValue = "3", description = "How many machines, 2 or more (default: ${DEFAULT-VALUE})")
    int machines;

    @Option(names = "--rates", paramLabel = "<min..max>", defaultValue = "1..6", description = "Tick rates, whole ticks per second, "
            + "drawn per machine from the seed (default: ${DEFAULT-VALUE})")
    String rates;

    @Option(names = "--fixed-rates", paramLabel = "<r,r,...>", split = ",", description = "One rate per machine instead of drawn "
            + "ones, e.g. 1,6,6 (sets --machines)")
    List<Integer> fixedRates;

    @Option(names = "--internal", paramLabel = "<0-10>", defaultValue = "7", description = "How many of the ten draws are internal "
            + "events; the rest are sends: to one, to the other, to all, in turn (default: ${DEFAULT-VALUE}, the classic 4–10)")
    int internal;

    @Option(names = "--peers", paramLabel = "ring|random", defaultValue = "ring", description = "Who \"one\" and \"the other\" are: "
            + "the next two round a ring, or two picked from the seed (default: ${DEFAULT-VALUE})")
    String peers;

    @Option(names = "--vector-clocks", paramLabel = "auto|on|off", defaultValue = "auto", description = "Keep vector clocks (for "
            + "shiviz.log); auto: up to " + ModelSettings.VECTORS_UP_TO + " machines (default: ${DEFAULT-VALUE})")
    String vectorClocks;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds every draw (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--join", paramLabel = "<name>", description = "Take part in the suite's simulated time as <name>: "
            + "each instant waits for `orrery-sim run` to announce it (start the controller with --expect <name>); the run "
            + "starts at the controller's time. Slower (a round with the controller per instant), the same logs")
    String join;

    @Option(names = "--no-logs", description = "Write no per-machine logs or shiviz.log (the benchmark's largest runs)")
    boolean noLogs;

    @Mixin
    ModelClockOptions clock;

    @Mixin
    NatsLogin login;

    @Option(names = "--out", paramLabel = "<dir>", defaultValue = "model-run", description = "The run's folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    ModelCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        ModelSettings settings = settings();
        Consumer<String> log = StderrLog.of(spec, "orrery-sim model");
        try (Connection nats = login.connect(environment, "orrery-sim-model", log)) {
            RunOutcome o;
            if (join == null) {
                o = clock.runner(nats).run(settings, noLogs ? null : out, e -> {
                });
            } else {
                o = joined(nats, settings, log);
            }
            if (noLogs) {
                RunReport.write(out, o);
            }
            log.accept(String.format(Locale.ROOT, "%s: %,d events, %,d letters over NATS (%,.0f/s), %,d instants, %.2f s of wall "
                    + "time (%.0fx)", settings.describe(), o.events(), o.letters(), o.lettersPerWallSecond(), o.instants(),
                    o.wallNanos() / 1e9, o.speedUp()));
        } catch (IllegalStateException e) {
            throw new CommandFailure(ExitCodes.FAILED, e.getMessage(), e);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(out.resolve("summary.json").toAbsolutePath());
        stdout.flush();
        return ExitCodes.OK;
    }

    /** A run on the suite's clock: joins the controller, starts at its time, leaves at the end. */
    private RunOutcome joined(Connection nats, ModelSettings settings, Consumer<String> log) throws Exception {
        if (clock.real) {
            throw new ParameterException(spec.commandLine(), "--join is for the simulated clock, not with --real");
        }
        try (Participant participant = Participant.join(nats, join, Duration.ofSeconds(30), Duration.ofMillis(500))) {
            Instant start = participant.time().now();
            log.accept("joined the suite's simulated time as " + join + " at " + start);
            ModelSettings here = settings.withStart(start);
            return new ModelRunner(nats, false, clock.patience, Instants.controller(participant, start, clock.patience))
                    .run(here, noLogs ? null : out, e -> {
                    });
        }
    }

    ModelSettings settings() {
        try {
            Range.Longs range = Range.Longs.parse(rates);
            Peers rule = switch (peers.toLowerCase(Locale.ROOT)) {
                case "ring" -> Peers.RING;
                case "random" -> Peers.RANDOM;
                default -> throw new IllegalArgumentException("--peers is ring or random, not " + peers);
            };
            int count = fixedRates == null ? machines : fixedRates.size();
            boolean vectors = switch (vectorClocks.toLowerCase(Locale.ROOT)) {
                case "auto" -> count <= ModelSettings.VECTORS_UP_TO;
                case "on" -> true;
                case "off" -> false;
                default -> throw new IllegalArgumentException("--vector-clocks is auto, on or off, not " + vectorClocks);
            };
            return new ModelSettings(count, Math.toIntExact(range.min()), Math.toIntExact(range.max()),
                    fixedRates == null ? List.of() : fixedRates, internal, clock.duration, seed, rule, vectors && !noLogs,
                    clock.start);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** The options one run and the experiment share: which clock, how long, from when. */
    static final class ModelClockOptions {

        @Option(names = "--duration", paramLabel = "<duration>", defaultValue = "PT1M", description = "How long each run lasts on "
                + "its clock, ISO-8601 (default: ${DEFAULT-VALUE})")
        Duration duration;

        @Option(names = "--real", description = "Run in real time (a minute is a minute; not repeatable) instead of on the "
                + "simulated clock")
        boolean real;

        @Option(names = "--start", paramLabel = "<instant>", defaultValue = "2026-03-01T00:00:00Z", description = "The system "
                + "time a simulated run starts at, as its logs show it (default: ${DEFAULT-VALUE})")
        Instant start;

        @Option(names = "--patience", paramLabel = "<duration>", defaultValue = "PT30S", description = "How long the simulated "
                + "clock waits for letters to come back from NATS before the run fails (default: ${DEFAULT-VALUE})")
        Duration patience;

        ModelRunner runner(Connection nats) {
            return new ModelRunner(nats, real, patience);
        }

    }
}
