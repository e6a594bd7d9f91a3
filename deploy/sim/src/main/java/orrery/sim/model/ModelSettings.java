package orrery.sim.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One run of the model.
 *
 * @param machines how many machines (2 or more)
 * @param minRate  the lowest tick rate a machine may draw, ticks per second
 * @param maxRate  the highest
 * @param rates    fixed rates, one per machine, in place of drawn ones (empty: draw them)
 * @param internal how many of the ten draws are internal events (0 to 10; 7 is the classic model)
 * @param duration how long the run lasts, on its clock
 * @param seed     the seed every draw comes from
 * @param peers    who "one" and "the other" are
 * @param vectors  whether to keep vector clocks beside the Lamport clocks (for ShiViz and the
 *                 happened-before check; N numbers per event, so off for large runs)
 * @param start    the system time the run starts at on the simulated clock
 */
public record ModelSettings(int machines, int minRate, int maxRate, List<Integer> rates, int internal, Duration duration,
                            long seed, Peers peers, boolean vectors, Instant start) {

    /** The classic model: three machines at 1–6 ticks a second, 7 in 10 draws internal, one minute. */
    public static final ModelSettings CLASSIC = new ModelSettings(3, 1, 6, List.of(), 7, Duration.ofMinutes(1), 1,
            Peers.RING, true, Instant.parse("2026-03-01T00:00:00Z"));

    /** Vector clocks are kept by default up to this many machines. */
    public static final int VECTORS_UP_TO = 50;

    public ModelSettings {
        rates = List.copyOf(rates);
        if (machines < 2) {
            throw new IllegalArgumentException("the model needs at least 2 machines, not " + machines);
        }
        if (minRate < 1 || maxRate < minRate) {
            throw new IllegalArgumentException("rates are whole ticks per second, 1 or more, lowest first: not "
                    + minRate + "–" + maxRate);
        }
        if (!rates.isEmpty() && rates.size() != machines) {
            throw new IllegalArgumentException(rates.size() + " fixed rates for " + machines + " machines");
        }
        if (rates.stream().anyMatch(r -> r < 1)) {
            throw new IllegalArgumentException("a fixed rate is 1 tick per second or more: " + rates);
        }
        if (internal < 0 || internal > 10) {
            throw new IllegalArgumentException("internal events are 0 to 10 of the ten draws, not " + internal);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a run lasts a positive time, not " + duration);
        }
    }

    public ModelSettings withSeed(long newSeed) {
        return new ModelSettings(machines, minRate, maxRate, rates, internal, duration, newSeed, peers, vectors, start);
    }

    public ModelSettings withDuration(Duration newDuration) {
        return new ModelSettings(machines, minRate, maxRate, rates, internal, newDuration, seed, peers, vectors, start);
    }

    public ModelSettings withMachines(int count) {
        return new ModelSettings(count, minRate, maxRate, List.of(), internal, duration, seed, peers,
                count <= VECTORS_UP_TO && vectors, start);
    }

    public ModelSettings withRates(int lowest, int highest) {
        return new ModelSettings(machines, lowest, highest, List.of(), internal, duration, seed, peers, vectors, start);
    }

    public ModelSettings withFixedRates(List<Integer> fixed) {
        return new ModelSettings(fixed.size(), minRate, maxRate, fixed, internal, duration, seed, peers, vectors, start);
    }

    public ModelSettings withInternal(int draws) {
        return new ModelSettings(machines, minRate, maxRate, rates, draws, duration, seed, peers, vectors, start);
    }

    public ModelSettings withStart(Instant at) {
        return new ModelSettings(machines, minRate, maxRate, rates, internal, duration, seed, peers, vectors, at);
    }

    /**
     * The machines of this run, the same every time for one seed: rates are drawn first, in order,
     * then each machine gets its own split of the random stream.
     */
    public List<Machine> build() {
        SplittableRandom random = new SplittableRandom(seed);
        int[] drawn = new int[machines];
        for (int i = 0; i < machines; i++) {
            drawn[i] = rates.isEmpty() ? minRate + random.nextInt(maxRate - minRate + 1) : rates.get(i);
        }
        List<Machine> built = new ArrayList<>(machines);
        for (int i = 0; i < machines; i++) {
            built.add(new Machine(i, drawn[i], machines, internal, peers, random.split(), vectors));
        }
        return built;
    }

    /** "3 machines, rates 1–6/s, 7 in 10 internal, PT1M, seed 1" */
    public String describe() {
        String rateText = rates.isEmpty() ? "rates " + minRate + "–" + maxRate + "/s" : "rates " + rates + "/s";
        return machines + " machines, " + rateText + ", " + internal + " in 10 internal, " + duration + ", seed " + seed
                + (peers == Peers.RING ? "" : ", peers " + peers.name().toLowerCase(java.util.Locale.ROOT));
    }
}
