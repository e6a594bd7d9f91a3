package orrery.sim.model;

import java.util.Comparator;

/**
 * A message between machines: the sender's Lamport clock at the send event (and its vector clock
 * when those are kept), and enough to put letters of one instant in a fixed order.
 *
 * @param from   the sender
 * @param to     the receiver
 * @param seq    the sender's count of letters sent, from 1
 * @param clock  the send event's Lamport clock (the send is stamped, then the letter carries that stamp)
 * @param sentAt nanoseconds from the run's start
 * @param vector the send event's vector clock, or null when the run keeps none
 */
public record Letter(int from, int to, long seq, long clock, long sentAt, long[] vector) {

    /** The order letters that arrive in one instant of simulated time join a queue: by sender, then sequence. */
    static final Comparator<Letter> ARRIVAL_ORDER = Comparator.comparingLong(Letter::sentAt)
            .thenComparingInt(Letter::from).thenComparingLong(Letter::seq);
}
