package orrery.broker.domain;

/**
 * What the offer planner and the reservation checks ask of a pool's calendar: how much is free
 * throughout a span, where free capacity may change, and the calendar with one more booking.
 * {@link CapacityCalendar} answers from a list of bookings; {@link PoolLedger}'s views answer from
 * a structure kept up to date as reservations change, so that a busy pool costs no more than a
 * quiet one; {@link UserQuota#limit} narrows either to what one user may take.
 */
public interface Calendar {

    CapacitySchedule schedule();

    /** The most cores free throughout {@code [from, to)}; 0 when none are (never negative). */
    int largestFree(long from, long to);

    /**
     * Up to {@code limit} instants strictly inside {@code (from, to)} where free capacity may
     * change, ascending: the first ones, since offers are wanted early.
     */
    long[] changes(long from, long to, int limit);

    /** The calendar with one more booking. */
    Calendar with(Booking booking);

    /** True if {@code amount} more cores fit throughout {@code [from, to)}. */
    default boolean fits(long from, long to, int amount) {
        return schedule().covers(from, to) && largestFree(from, to) >= amount;
    }

    /**
     * The earliest start at or after {@code from} of a span of {@code length} seconds where
     * {@code amount} cores are free throughout, ending no later than {@code latestEnd}; -1 if none.
     * That start is {@code from} itself or an instant where capacity changes: moving a fitting
     * start back to the change before it keeps it fitting.
     */
    default long nextFit(long from, long length, int amount, long latestEnd) {
        long start = Math.max(from, schedule().start());
        while (start + length <= latestEnd) {
            if (fits(start, start + length, amount)) {
                return start;
            }
            long[] next = changes(start, latestEnd, 1);
            if (next.length == 0) {
                return -1;
            }
            start = next[0];
        }
        return -1;
    }
}
