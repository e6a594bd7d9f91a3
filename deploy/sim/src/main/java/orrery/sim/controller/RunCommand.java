package orrery.sim.controller;

import io.nats.client.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import orrery.model.time.SystemTimeSource;
import orrery.sim.cli.ExitCodes;
import orrery.sim.cli.NatsLogin;
import orrery.sim.cli.StderrLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code orrery-sim run}: the time controller. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Own simulated time: start it at --start, and move it to the earliest wake-up any participant asked for "
                + "whenever every participant is idle for the current epoch, no JetStream consumer of TASKS or EVENTS has "
                + "messages pending or awaiting ack, and a sim.status round confirms it (docs/design-notes.md, "
                + "\"Simulated time: the protocol\").",
            "Connect as the NATS user admin: the controller reads every consumer's state."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:finished: reached --until, or nothing was left to do before it",
            "1:failed",
            "2:wrong command line",
            "3:NATS unreachable",
            "4:NATS refused the login",
            "143:stopped (SIGTERM) before it finished"})
public final class RunCommand implements Callable<Integer> {

    @Mixin
    NatsLogin login;

    @Option(names = "--start", required = true, paramLabel = "<instant>",
            description = "Simulated time at epoch 0, e.g. 2026-03-01T00:00:00Z")
    Instant start;

    @Option(names = "--expect", split = ",", paramLabel = "<participant>",
            description = "Participants time waits for until they have joined (their service names), e.g. "
                    + "execution-broker,staging-service,canfar-adapter")
    List<String> expect = new ArrayList<>();

    @Option(names = "--until", paramLabel = "<instant>",
            description = "End the run (exit 0) once everyone is idle and the next wake-up is past this instant "
                    + "(or nobody asks for one). Without it the controller runs until stopped.")
    Instant until;

    @Option(names = "--leak-after", defaultValue = "PT10S", paramLabel = "<duration>",
            description = "Report a participant that stays away from idle this long in real time, with what it holds; "
                    + "again every as long while it lasts (default: ${DEFAULT-VALUE})")
    Duration leakAfter;

    @Option(names = "--confirm-timeout", defaultValue = "PT2S", paramLabel = "<duration>",
            description = "How long a sim.status round waits for every participant's answer (default: ${DEFAULT-VALUE})")
    Duration confirmTimeout;

    @Option(names = "--ignore-consumer", split = ",", paramLabel = "<consumer>",
            description = "JetStream consumers whose backlog does not hold time, e.g. those of a service that is not "
                    + "running (default: none; every consumer of TASKS and EVENTS counts)")
    List<String> ignoreConsumers = new ArrayList<>();

    @Option(names = "--progress", defaultValue = "PT1S", paramLabel = "<duration>",
            description = "Real time between progress lines on stderr; PT0S for none (default: ${DEFAULT-VALUE})")
    Duration progress;

    @Option(names = "--verbose", description = "Also log ignored reports (an old epoch's idle, a participant that never joined)")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    RunCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        TimeController.Settings settings = settings();
        Consumer<String> log = StderrLog.of(spec, "orrery-sim");
        CountDownLatch done = new CountDownLatch(1);
        try (SystemTimeSource wall = new SystemTimeSource();
             Connection nats = login.connect(environment, "orrery-sim", log);
             TimeController controller = new TimeController(nats, wall, settings, log)) {
            // SIGTERM: stop the loop and let it close the connection before the JVM halts
            Thread stopper = new Thread(() -> {
                controller.stop();
                try {
                    done.await(settings.confirmTimeout().plusSeconds(3).toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "orrery-sim-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                Optional<String> finished = controller.start().run();
                return finished.isPresent() ? ExitCodes.OK : ExitCodes.STOPPED;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already stopping: the hook is running
                }
            }
        } finally {
            done.countDown();
        }
    }

    private TimeController.Settings settings() {
        Set<String> expected = new LinkedHashSet<>();
        for (String name : expect) {
            if (name.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--expect: a participant name must not be blank");
            }
            expected.add(name.strip());
        }
        if (until != null && until.isBefore(start)) {
            throw new ParameterException(spec.commandLine(), "--until " + until + " is before --start " + start);
        }
        if (leakAfter.isNegative() || leakAfter.isZero()) {
            throw new ParameterException(spec.commandLine(), "--leak-after must be positive, e.g. PT10S");
        }
        if (confirmTimeout.isNegative() || confirmTimeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--confirm-timeout must be positive, e.g. PT2S");
        }
        if (progress.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--progress must not be negative (PT0S turns it off)");
        }
        Set<String> ignored = new LinkedHashSet<>();
        ignoreConsumers.forEach(c -> ignored.add(c.strip()));
        return new TimeController.Settings(start, expected, until, leakAfter, confirmTimeout, progress, ignored, verbose);
    }
}
