package orrery.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one user may hold on the calendars, so nobody can take a whole pool until 2100: at most
 * {@code maxCores} cores held at once (the sum of the user's firm reservations, over every pool, at
 * any instant) and nothing that ends more than {@code horizon} after now.
 *
 * <p>Two uses: {@link #refusal} checks one more reservation (a manual one, or an offer being
 * accepted); {@link #limit} narrows a pool's calendar to what the user may still take, so the offer
 * planner only finds offers the user is allowed to accept. Held offers are not counted: they are
 * alternatives of which at most one is accepted, and they expire; accepting re-checks.
 */
public record UserQuota(int maxCores, Duration horizon) {

    public UserQuota {
        if (maxCores < 1) {
            throw new IllegalArgumentException("a quota allows at least one core");
        }
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("a quota's horizon must be positive");
        }
    }

    /** The latest end allowed for a booking made at {@code now}, in unix seconds. */
    public long latestEnd(Instant now) {
        return now.plus(horizon).getEpochSecond();
    }

    /**
     * Why {@code amount} more cores over {@code [start, end)} would break the quota, given what the
     * user already holds ({@code held}, their firm bookings); empty when it fits.
     */
    public Optional<String> refusal(long start, long end, int amount, Instant now, List<Booking> held) {
        if (end > latestEnd(now)) {
            return Optional.of("the booking would end at " + Instant.ofEpochSecond(end) + ", beyond your quota's horizon of "
                    + horizon + " (" + Instant.ofEpochSecond(latestEnd(now)) + ")");
        }
        int most = mostHeld(held, start, end);
        if (most + amount > maxCores) {
            return Optional.of("your quota is " + maxCores + " cores held at once; you already hold " + most
                    + " during [" + start + ", " + end + "), so " + amount + " more would make " + (most + amount));
        }
        return Optional.empty();
    }

    /** The quota in words, for refusals. */
    public String describe() {
        return "at most " + maxCores + " cores held at once, ending no later than " + horizon + " from now";
    }

    /**
     * The pool's calendar narrowed to what the user may take: free capacity becomes
     * {@code min(pool free, quota left)} at every instant, and nothing after the horizon. Offers
     * added with {@link Calendar#with} take from the pool only: they are alternatives, at most one
     * of which is accepted (and accepting checks the quota again).
     */
    public Calendar limit(Calendar pool, List<Booking> held, Instant now) {
        return new Narrowed(pool, personal(held, now));
    }

    private record Narrowed(Calendar pool, Calendar personal) implements Calendar {

        @Override
        public CapacitySchedule schedule() {
            return pool.schedule();
        }

        @Override
        public int largestFree(long from, long to) {
            return Math.min(pool.largestFree(from, to), personal.largestFree(from, to));
        }

        @Override
        public long[] changes(long from, long to, int limit) {
            return java.util.stream.LongStream.concat(java.util.Arrays.stream(pool.changes(from, to, limit)),
                    java.util.Arrays.stream(personal.changes(from, to, limit))).sorted().distinct().limit(limit).toArray();
        }

        @Override
        public Calendar with(Booking booking) {
            return new Narrowed(pool.with(booking), personal);
        }
    }

    private CapacityCalendar personal(List<Booking> held, Instant now) {
        CapacitySchedule schedule = new CapacitySchedule(List.of(new Segment(0, latestEnd(now), maxCores)));
        return new CapacityCalendar(schedule, held);
    }

    private static int mostHeld(List<Booking> held, long start, long end) {
        // A calendar with no capacity: what is free there is minus what is held.
        CapacitySchedule none = new CapacitySchedule(List.of(new Segment(start, end, 0)));
        int most = 0;
        for (FreeSpan span : new CapacityCalendar(none, held).free(start, end)) {
            most = Math.max(most, -span.free());
        }
        return most;
    }
}
