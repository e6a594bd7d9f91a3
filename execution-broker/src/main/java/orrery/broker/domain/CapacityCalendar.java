package orrery.broker.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Advance reservations against a capacity schedule: what is free when, whether a request fits,
 * and what to suggest when it does not. Immutable: {@link #with} gives the calendar after one
 * more booking, which is how an offer set reserves its offers one after another.
 *
 * <p>Free capacity is piecewise constant between breakpoints (segment bounds and booking
 * bounds), so every question is a sweep over the breakpoints inside the interval asked about.
 */
public final class CapacityCalendar {

    private final CapacitySchedule schedule;
    private final List<Booking> bookings;

    public CapacityCalendar(CapacitySchedule schedule, List<Booking> bookings) {
        this.schedule = schedule;
        this.bookings = List.copyOf(bookings);
    }

    public CapacitySchedule schedule() {
        return schedule;
    }

    /** The calendar with one more booking. */
    public CapacityCalendar with(Booking booking) {
        List<Booking> more = new ArrayList<>(bookings);
        more.add(booking);
        return new CapacityCalendar(schedule, more);
    }

    /** Free capacity over {@code [from, to)} as maximal constant pieces. */
    public List<FreeSpan> free(long from, long to) {
        // Sweep: reserved capacity changes only where a booking starts or ends.
        TreeMap<Long, Integer> change = new TreeMap<>();
        change.put(from, 0);
        change.put(to, 0);
        for (Booking booking : bookings) {
            if (booking.start() < to && from < booking.end()) {
                change.merge(Math.max(booking.start(), from), booking.amount(), Integer::sum);
                if (booking.end() < to) {
                    change.merge(booking.end(), -booking.amount(), Integer::sum);
                }
            }
        }
        for (Segment segment : schedule.segments()) {
            if (segment.start() > from && segment.start() < to) {
                change.putIfAbsent(segment.start(), 0);
            }
            if (segment.end() > from && segment.end() < to) {
                change.putIfAbsent(segment.end(), 0);
            }
        }
        List<FreeSpan> spans = new ArrayList<>();
        int reserved = 0;
        Long start = null;
        for (Map.Entry<Long, Integer> point : change.entrySet()) {
            if (start != null) {
                add(spans, start, point.getKey(), schedule.capacityAt(start) - reserved);
            }
            reserved += point.getValue();
            start = point.getKey();
            if (start == to) {
                break;
            }
        }
        return spans;
    }

    private static void add(List<FreeSpan> spans, long start, long end, int free) {
        if (!spans.isEmpty()) {
            FreeSpan last = spans.get(spans.size() - 1);
            if (last.free() == free && last.end() == start) {
                spans.set(spans.size() - 1, new FreeSpan(last.start(), end, free));
                return;
            }
        }
        spans.add(new FreeSpan(start, end, free));
    }

    /** The most cores free throughout {@code [from, to)}. */
    public int largestFree(long from, long to) {
        int min = Integer.MAX_VALUE;
        for (FreeSpan span : free(from, to)) {
            min = Math.min(min, span.free());
        }
        return min == Integer.MAX_VALUE ? 0 : Math.max(0, min);
    }

    /** True if {@code amount} more cores fit throughout {@code [from, to)}. */
    public boolean fits(long from, long to, int amount) {
        return schedule.covers(from, to) && largestFree(from, to) >= amount;
    }

    /**
     * The earliest start at or after {@code from} of a span of {@code length} seconds where
     * {@code amount} cores are free throughout, ending no later than {@code latestEnd}; -1 if none.
     * Only breakpoints need trying: if a start fails, moving it forward helps only once the
     * blocking piece has passed, and pieces end at breakpoints.
     */
    public long nextFit(long from, long length, int amount, long latestEnd) {
        TreeSet<Long> candidates = new TreeSet<>();
        candidates.add(Math.max(from, schedule.start()));
        for (Segment segment : schedule.segments()) {
            if (segment.start() >= from) {
                candidates.add(segment.start());
            }
        }
        for (Booking booking : bookings) {
            if (booking.end() >= from) {
                candidates.add(booking.end());
            }
        }
        for (long start : candidates) {
            if (start + length > latestEnd) {
                break;
            }
            if (fits(start, start + length, amount)) {
                return start;
            }
        }
        return -1;
    }

}
