package orrery.broker.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Advance reservations against a capacity schedule: what is free when, whether a request fits,
 * and what to suggest when it does not. Immutable: {@link #with} gives the calendar after one
 * more booking, which is how an offer set reserves its offers one after another.
 *
 * <p>Free capacity is piecewise constant between breakpoints (segment bounds and booking
 * bounds), so every question is a sweep over the breakpoints inside the interval asked about.
 */
public final class CapacityCalendar implements Calendar {

    private final CapacitySchedule schedule;
    private final List<Booking> bookings;
    private volatile Profile profile;

    public CapacityCalendar(CapacitySchedule schedule, List<Booking> bookings) {
        this.schedule = schedule;
        this.bookings = List.copyOf(bookings);
    }

    @Override
    public CapacitySchedule schedule() {
        return schedule;
    }

    /** The calendar with one more booking. */
    @Override
    public CapacityCalendar with(Booking booking) {
        List<Booking> more = new ArrayList<>(bookings);
        more.add(booking);
        return new CapacityCalendar(schedule, more);
    }

    /** The calendar with more bookings. */
    public CapacityCalendar withAll(List<Booking> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<Booking> all = new ArrayList<>(bookings);
        all.addAll(more);
        return new CapacityCalendar(schedule, all);
    }

    /** Free capacity over {@code [from, to)} as maximal constant pieces. */
    public List<FreeSpan> free(long from, long to) {
        Profile profile = profile();
        int first = profile.firstAfter(from);
        int last = profile.firstAtOrAfter(to);
        long[] points = new long[2 + (last - first) + 2 * schedule.segments().size()];
        int count = 0;
        points[count++] = from;
        points[count++] = to;
        for (int i = first; i < last; i++) {
            points[count++] = profile.times[i];
        }
        for (Segment segment : schedule.segments()) {
            if (segment.start() > from && segment.start() < to) {
                points[count++] = segment.start();
            }
            if (segment.end() > from && segment.end() < to) {
                points[count++] = segment.end();
            }
        }
        java.util.Arrays.sort(points, 0, count);
        List<FreeSpan> spans = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            long start = points[i - 1];
            if (points[i] != start) {
                add(spans, start, points[i], schedule.capacityAt(start) - profile.reservedAt(start));
            }
        }
        return spans;
    }

    private Profile profile() {
        Profile current = profile;
        if (current == null) {
            current = Profile.of(bookings);
            profile = current;
        }
        return current;
    }

    /**
     * Reserved capacity as a step function, built once per calendar: {@code reserved[i]} holds
     * over {@code [times[i], times[i + 1])}, and before {@code times[0]} nothing is reserved.
     * Questions then cost a binary search and the steps inside the interval, not a pass over
     * every booking of a busy pool.
     */
    private record Profile(long[] times, int[] reserved) {

        static Profile of(List<Booking> bookings) {
            TreeMap<Long, Integer> change = new TreeMap<>();
            for (Booking booking : bookings) {
                change.merge(booking.start(), booking.amount(), Integer::sum);
                change.merge(booking.end(), -booking.amount(), Integer::sum);
            }
            long[] times = new long[change.size()];
            int[] reserved = new int[change.size()];
            int i = 0;
            int running = 0;
            for (Map.Entry<Long, Integer> step : change.entrySet()) {
                running += step.getValue();
                times[i] = step.getKey();
                reserved[i++] = running;
            }
            return new Profile(times, reserved);
        }

        int reservedAt(long t) {
            int index = java.util.Arrays.binarySearch(times, t);
            if (index < 0) {
                index = -index - 2; // the step that started before t
            }
            return index < 0 ? 0 : reserved[index];
        }

        /** The index of the first step change strictly after {@code t}. */
        int firstAfter(long t) {
            int index = java.util.Arrays.binarySearch(times, t);
            return index >= 0 ? index + 1 : -index - 1;
        }

        /** The index of the first step change at or after {@code t}. */
        int firstAtOrAfter(long t) {
            int index = java.util.Arrays.binarySearch(times, t);
            return index >= 0 ? index : -index - 1;
        }
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

    @Override
    public long[] changes(long from, long to, int limit) {
        Profile profile = profile();
        java.util.TreeSet<Long> points = new java.util.TreeSet<>();
        for (int i = profile.firstAfter(from); i < profile.times.length && profile.times[i] < to && points.size() < limit; i++) {
            points.add(profile.times[i]);
        }
        for (Segment segment : schedule.segments()) {
            for (long bound : new long[] {segment.start(), segment.end()}) {
                if (bound > from && bound < to) {
                    points.add(bound);
                }
            }
        }
        return points.stream().limit(limit).mapToLong(Long::longValue).toArray();
    }

    /** The most cores free throughout {@code [from, to)}. */
    @Override
    public int largestFree(long from, long to) {
        int min = Integer.MAX_VALUE;
        for (FreeSpan span : free(from, to)) {
            min = Math.min(min, span.free());
        }
        return min == Integer.MAX_VALUE ? 0 : Math.max(0, min);
    }

    /**
     * The earliest start at or after {@code from} of a span of {@code length} seconds where
     * {@code amount} cores are free throughout, ending no later than {@code latestEnd}; -1 if none.
     * One sweep over the constant pieces from {@code from} on, stopping at the answer: a run of
     * pieces with enough free starts where the last piece without enough ended, so the first run
     * long enough holds the earliest start (outside the schedule nothing is free).
     */
    @Override
    public long nextFit(long from, long length, int amount, long latestEnd) {
        long start = Math.max(from, schedule.start());
        if (start + length > latestEnd) {
            return -1;
        }
        Profile profile = profile();
        long[] bounds = schedule.segments().stream().flatMapToLong(s -> java.util.stream.LongStream.of(s.start(), s.end()))
                .sorted().toArray();
        int change = profile.firstAfter(start);
        int bound = 0;
        long run = start;
        for (long at = start; at < latestEnd; ) {
            while (bound < bounds.length && bounds[bound] <= at) {
                bound++;
            }
            long next = Math.min(latestEnd, Math.min(change < profile.times.length ? profile.times[change] : Long.MAX_VALUE,
                    bound < bounds.length ? bounds[bound] : Long.MAX_VALUE));
            int free = schedule.capacityAt(at) - (change == 0 ? 0 : profile.reserved[change - 1]);
            if (free < amount) {
                run = next;
                if (run + length > latestEnd) {
                    return -1;
                }
            } else if (next - run >= length) {
                return run;
            }
            at = next;
            while (change < profile.times.length && profile.times[change] <= at) {
                change++;
            }
        }
        return -1;
    }

}
