package orrery.sim.model;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one machine did in a run, gathered as it goes: counts by kind, the sizes of its logical
 * clock's jumps, and once a second its clock, its queue and its arrivals so far.
 */
public final class MachineStats {

    private final int machine;
    private final int rate;
    private final int[] partners;
    private long received;
    private long sends;
    private long internals;
    private long letters;
    private long maxJump;
    private int maxQueue;
    private final TreeMap<Long, Long> jumps = new TreeMap<>();
    private long[] clocks = new long[64];
    private int[] queues = new int[64];
    private long[] arrivals = new long[64];
    private int samples;

    MachineStats(int machine, int rate, int[] partners) {
        this.machine = machine;
        this.rate = rate;
        this.partners = partners.clone();
    }

    void record(Event event) {
        switch (event.kind()) {
            case RECEIVED -> received++;
            case SENT -> {
                sends++;
                letters += event.peers().length;
            }
            case INTERNAL -> internals++;
        }
        long jump = event.jump();
        jumps.merge(jump, 1L, Long::sum);
        maxJump = Math.max(maxJump, jump);
        maxQueue = Math.max(maxQueue, event.queue());
    }

    /** The state at a whole second of the run (sample {@code k} is second {@code k}, from 0). */
    void sample(long clock, int queue, long arrived) {
        if (samples == clocks.length) {
            clocks = Arrays.copyOf(clocks, samples * 2);
            queues = Arrays.copyOf(queues, samples * 2);
            arrivals = Arrays.copyOf(arrivals, samples * 2);
        }
        clocks[samples] = clock;
        queues[samples] = queue;
        arrivals[samples] = arrived;
        samples++;
        maxQueue = Math.max(maxQueue, queue);
    }

    public int machine() {
        return machine;
    }

    public int rate() {
        return rate;
    }

    public int[] partners() {
        return partners.clone();
    }

    public long received() {
        return received;
    }

    public long sends() {
        return sends;
    }

    public long internals() {
        return internals;
    }

    public long ticks() {
        return received + sends + internals;
    }

    /** Letters sent (a send to all is N - 1 letters). */
    public long letters() {
        return letters;
    }

    public long maxJump() {
        return maxJump;
    }

    public double meanJump() {
        long ticks = ticks();
        return ticks == 0 ? 0 : jumpSum() / ticks;
    }

    /** The mean jump of the receives alone (the other events always move the clock by 1). */
    public double meanReceiveJump() {
        return received == 0 ? 0 : (jumpSum() - sends - internals) / received;
    }

    private double jumpSum() {
        double sum = 0;
        for (Map.Entry<Long, Long> e : jumps.entrySet()) {
            sum += (double) e.getKey() * e.getValue();
        }
        return sum;
    }

    /** How many events moved the clock by each size. */
    public Map<Long, Long> jumps() {
        return new TreeMap<>(jumps);
    }

    public int maxQueue() {
        return maxQueue;
    }

    public int samples() {
        return samples;
    }

    /** The Lamport clock at second {@code k}. */
    public long clockAt(int k) {
        return clocks[k];
    }

    public int queueAt(int k) {
        return queues[k];
    }

    /** Letters arrived by second {@code k}. */
    public long arrivedBy(int k) {
        return arrivals[k];
    }

    /** The share of ticks that found the queue empty (and so could send). */
    public double idleShare() {
        long ticks = ticks();
        return ticks == 0 ? 1 : (double) (sends + internals) / ticks;
    }
}
