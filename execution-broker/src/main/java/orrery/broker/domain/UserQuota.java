package orrery.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
     * The pool's calendar with what the user may not take booked out: free capacity becomes
     * {@code min(pool free, quota left)} at every instant, and nothing after the horizon.
     */
    public CapacityCalendar limit(CapacityCalendar pool, List<Booking> held, Instant now) {
        long from = now.getEpochSecond();
        long to = pool.schedule().isEmpty() ? from : pool.schedule().end();
        if (to <= from) {
            return pool;
        }
        CapacityCalendar allowed = personal(held, now);
        List<FreeSpan> poolFree = pool.free(from, to);
        List<FreeSpan> mine = allowed.free(from, to);
        List<Booking> blocked = new ArrayList<>();
        int i = 0;
        int j = 0;
        long t = from;
        while (t < to && i < poolFree.size() && j < mine.size()) {
            FreeSpan a = poolFree.get(i);
            FreeSpan b = mine.get(j);
            long end = Math.min(a.end(), b.end());
            int excess = a.free() - Math.max(0, b.free());
            if (excess > 0 && end > t) {
                blocked.add(new Booking(t, end, excess));
            }
            t = end;
            if (a.end() == end) {
                i++;
            }
            if (b.end() == end) {
                j++;
            }
        }
        return pool.withAll(blocked);
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
