package orrery.model.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The only way Orrery code learns the time or waits for it.
 *
 * <p>Services never read the wall clock or sleep directly, so the same code runs on the system
 * clock in production, on a {@link ManualTimeSource} in unit tests, and on a simulated clock
 * shared over NATS when a week of bookings is replayed in seconds.
 */
public interface TimeSource {

    /** The current instant on this source. */
    Instant now();

    /**
     * Runs {@code action} once, as soon as this source reaches {@code at} (at once if it already
     * has). Actions run on the source's own thread and should hand long work elsewhere.
     */
    Timer schedule(Instant at, Runnable action);

    /** Runs {@code action} once after {@code delay} on this source. */
    default Timer scheduleAfter(Duration delay, Runnable action) {
        return schedule(now().plus(delay), action);
    }

    /**
     * Like {@link #schedule}, for housekeeping that repeats (polls, sweeps, lease renewals): on a
     * simulated clock it runs when time passes {@code at}, but never asks for time to move there,
     * or a week would be stepped poll by poll. On other sources it is an ordinary timer.
     */
    default Timer scheduleBackground(Instant at, Runnable action) {
        return schedule(at, action);
    }

    /** A scheduled action that has not run yet can be cancelled. */
    interface Timer {

        /** When the action is due. */
        Instant due();

        /** Cancels the action; returns false if it already ran or was cancelled. */
        boolean cancel();
    }
}
