package orrery.sim.model;

import io.nats.client.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import orrery.model.time.SystemTimeSource;

/** Runs the model over one NATS connection, on the simulated clock or in real time, and writes its run report. */
public final class ModelRunner {

    private final Connection nats;
    private final boolean real;
    private final Duration patience;
    private final Instants instants;

    public ModelRunner(Connection nats, boolean real, Duration patience) {
        this(nats, real, patience, Instants.ALONE);
    }

    /** @param instants on the simulated clock, who else must agree before time moves */
    public ModelRunner(Connection nats, boolean real, Duration patience, Instants instants) {
        this.nats = nats;
        this.real = real;
        this.patience = patience;
        this.instants = instants;
    }

    /**
     * One run: logs and the run report into {@code dir} (no files when it is null), every event
     * also to {@code watcher}.
     */
    public RunOutcome run(ModelSettings settings, Path dir, Consumer<Event> watcher) throws IOException, InterruptedException {
        if (dir != null) {
            Files.createDirectories(dir);
        }
        List<Machine> machines = settings.build();
        String run = UUID.randomUUID().toString().replace("-", "");
        Network.Factory networks = deliver -> new NatsNetwork(nats, run, machines.size(), deliver);
        RunOutcome outcome;
        if (real) {
            try (SystemTimeSource time = new SystemTimeSource()) {
                // In real time the logs show the wall clock: the run starts a moment from now.
                ModelSettings now = settings.withStart(time.now().plusMillis(50));
                try (Recorder recorder = new Recorder(now, machines, dir, watcher)) {
                    outcome = new RealClock(time, System::nanoTime).run(now, machines, networks, recorder);
                }
            }
        } else {
            try (Recorder recorder = new Recorder(settings, machines, dir, watcher)) {
                outcome = new SimulatedClock(patience, System::nanoTime, instants).run(settings, machines, networks, recorder);
            }
        }
        if (dir != null) {
            RunReport.write(dir, outcome);
        }
        return outcome;
    }
}
