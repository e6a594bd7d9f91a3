package orrery.sim.model;

import io.nats.client.Connection;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import orrery.sim.cli.CommandFailure;
import orrery.sim.cli.ExitCodes;
import orrery.sim.cli.NatsLogin;
import orrery.sim.cli.StderrLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code orrery-sim model experiment}: the lab programme, written up as a notebook. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the model's programme: the classic model, a smaller variation in clock rates (3..4), fewer "
                + "internal events (4 in 10), one slow machine among fast ones (rates 1,6,6) and twenty machines, each over "
                + "--seeds seeds; write notebook.md, runs.csv, machines.csv and every run's folder into --out.",
            "Prints the notebook's path on stdout."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the programme ran", "1:failed", "2:wrong command line", "3:NATS unreachable", "4:NATS refused the login"})
public final class ExperimentCommand implements Callable<Integer> {

    @Option(names = "--seeds", defaultValue = "5", description = "Runs per group, seeds 1..n (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--discussion", paramLabel = "<file.md>", description = "A discussion, written after looking at the figures, "
            + "to put at the notebook's end")
    Path discussion;

    @Mixin
    ModelCommand.ModelClockOptions clock;

    @Mixin
    NatsLogin login;

    @Option(names = "--out", paramLabel = "<dir>", defaultValue = "model-experiment", description = "The report folder (default: "
            + "${DEFAULT-VALUE})")
    Path out;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    ExperimentCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        if (seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds is 1 or more, not " + seeds);
        }
        String text = null;
        if (discussion != null) {
            try {
                text = Files.readString(discussion, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "--discussion: no file " + discussion, e);
            }
        }
        Consumer<String> log = StderrLog.of(spec, "orrery-sim model experiment");
        ModelSettings base = ModelSettings.CLASSIC.withDuration(clock.duration).withStart(clock.start);
        try (Connection nats = login.connect(environment, "orrery-sim-model", log)) {
            Experiment.run(clock.runner(nats), Experiment.programme(base), seeds, out, text, log);
        } catch (IllegalStateException e) {
            throw new CommandFailure(ExitCodes.FAILED, e.getMessage(), e);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(out.resolve("notebook.md").toAbsolutePath());
        stdout.flush();
        return ExitCodes.OK;
    }
}
