package orrery.sim.model;

import java.util.SplittableRandom;

/**
 * Who "one" and "the other" machine are. The classic model has three machines, so they are simply
 * the two others; with more, each machine keeps two fixed partners for the whole run:
 * <ul>
 *   <li>{@link #RING} (the default): the next two machines round a ring, {@code i+1} and
 *       {@code i+2} (mod N), so with N = 3 it is exactly the classic rule;</li>
 *   <li>{@link #RANDOM}: two distinct others picked once at start from the run's seed.</li>
 * </ul>
 * "To all" is always every other machine.
 */
public enum Peers {
    RING, RANDOM;

    /** Machine {@code id}'s two partners, "one" first, among {@code machines} (at least 2). */
    int[] partners(int id, int machines, SplittableRandom random) {
        if (machines < 2) {
            throw new IllegalArgumentException("a machine needs at least one other to talk to");
        }
        if (machines == 2) {
            int other = 1 - id;
            return new int[] {other, other};
        }
        if (this == RING) {
            return new int[] {(id + 1) % machines, (id + 2) % machines};
        }
        int one = pickOther(id, -1, machines, random);
        int other = pickOther(id, one, machines, random);
        return new int[] {one, other};
    }

    private static int pickOther(int id, int taken, int machines, SplittableRandom random) {
        int candidate;
        do {
            candidate = random.nextInt(machines);
        } while (candidate == id || candidate == taken);
        return candidate;
    }
}
