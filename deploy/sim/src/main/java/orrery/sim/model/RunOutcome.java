package orrery.sim.model;

import java.util.List;

/**
 * A finished run.
 *
 * @param settings  what was run
 * @param simulated on the simulated clock (true) or in real time
 * @param instants  distinct instants at which machines ticked (the simulated clock's advances)
 * @param letters   letters sent over NATS
 * @param wallNanos the run's wall time
 * @param machines  each machine's statistics
 */
public record RunOutcome(ModelSettings settings, boolean simulated, long instants, long letters, long wallNanos,
                         List<MachineStats> machines) {

    /** Whole seconds sampled, from 0 to the run's end. */
    public int seconds() {
        return machines.isEmpty() ? 0 : machines.get(0).samples();
    }

    /** Max minus min of the machines' Lamport clocks at second {@code k}. */
    public long spreadAt(int k) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (MachineStats m : machines) {
            min = Math.min(min, m.clockAt(k));
            max = Math.max(max, m.clockAt(k));
        }
        return max - min;
    }

    public long events() {
        return machines.stream().mapToLong(MachineStats::ticks).sum();
    }

    /** Letters per second of wall time. */
    public double lettersPerWallSecond() {
        return wallNanos == 0 ? 0 : letters * 1e9 / wallNanos;
    }

    /** Simulated (or real) seconds per wall second. */
    public double speedUp() {
        return wallNanos == 0 ? 0 : settings.duration().toNanos() / (double) wallNanos;
    }
}
