package orrery.sim.model;

/**
 * One logged event of one machine.
 *
 * @param machine the machine
 * @param kind    received, sent or internal
 * @param at      nanoseconds from the run's start (system time minus the start)
 * @param before  the Lamport clock before the event
 * @param clock   the Lamport clock after it
 * @param queue   the queue's length after the event (after taking the letter, for a receive)
 * @param peers   the sender of a received letter, or the receivers of a send; empty otherwise
 * @param carried the Lamport clock the received letter carried; -1 for other events
 * @param vector  the vector clock after the event, or null when the run keeps none
 */
public record Event(int machine, Kind kind, long at, long before, long clock, int queue, int[] peers, long carried,
                    long[] vector) {

    /** What a machine did on a tick. */
    public enum Kind {
        RECEIVED, SENT, INTERNAL;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How far the logical clock moved: 1 for a send or an internal event, at least 1 for a receive. */
    public long jump() {
        return clock - before;
    }
}
