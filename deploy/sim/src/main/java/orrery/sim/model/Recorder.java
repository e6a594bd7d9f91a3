package orrery.sim.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes a run's events and samples: each machine's log, the ShiViz export when vector clocks are
 * kept, the statistics of the report, and an optional look at every event (the tests' checks).
 */
public final class Recorder implements AutoCloseable {

    private final List<MachineStats> stats = new ArrayList<>();
    private final MachineLogs logs;
    private final ShivizLog shiviz;
    private final Consumer<Event> watcher;

    /**
     * @param dir     where the logs go, or null for none (the benchmark's large runs)
     * @param watcher sees every event after it is recorded
     */
    public Recorder(ModelSettings settings, List<Machine> machines, Path dir, Consumer<Event> watcher) {
        for (Machine m : machines) {
            stats.add(new MachineStats(m.id(), m.rate(), m.partners()));
        }
        this.logs = dir == null ? null : new MachineLogs(dir, settings.start(), machines.size());
        this.shiviz = dir == null || !settings.vectors() ? null : new ShivizLog(dir.resolve("shiviz.log"));
        this.watcher = watcher;
    }

    /** One machine's event; events of one machine come in order. */
    public void event(Event event) {
        stats.get(event.machine()).record(event);
        if (logs != null) {
            logs.write(event);
        }
        if (shiviz != null) {
            shiviz.write(event);
        }
        watcher.accept(event);
    }

    /** Whole second {@code second} of the run has been reached: the machines' state then (samples come in order). */
    public void sample(int second, List<Machine> machines) {
        for (Machine m : machines) {
            stats.get(m.id()).sample(m.clock(), m.queueLength(), m.arrivals());
        }
    }

    public List<MachineStats> stats() {
        return stats;
    }

    @Override
    public void close() {
        if (logs != null) {
            logs.close();
        }
        if (shiviz != null) {
            shiviz.close();
        }
    }
}
