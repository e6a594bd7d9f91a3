package orrery.support.time;

import java.time.Duration;
import java.util.Objects;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * Runs an action every {@code period} on a {@link TimeSource}, so periodic housekeeping follows
 * simulated time as well as the real clock. The next run is scheduled after the current one
 * returns; a failing run is logged and does not stop the schedule. Its timers are background
 * ones ({@link TimeSource#scheduleBackground}): on the simulated clock a poll runs when time passes
 * it, but never makes time stop there.
 */
public final class Periodic implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Periodic.class);

    private final TimeSource time;
    private final Duration period;
    private final Runnable action;
    private final String name;
    private volatile TimeSource.Timer next;
    private volatile boolean closed;

    private Periodic(TimeSource time, Duration period, String name, Runnable action) {
        this.time = Objects.requireNonNull(time, "time");
        this.period = Objects.requireNonNull(period, "period");
        this.name = name;
        this.action = Objects.requireNonNull(action, "action");
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
    }

    /** Starts running {@code action} every {@code period}, the first time one period from now. */
    public static Periodic every(TimeSource time, Duration period, String name, Runnable action) {
        Periodic periodic = new Periodic(time, period, name, action);
        periodic.scheduleNext();
        return periodic;
    }

    private void scheduleNext() {
        if (!closed) {
            next = time.scheduleBackground(time.now().plus(period), this::runOnce);
        }
    }

    private void runOnce() {
        if (closed) {
            return;
        }
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "periodic task %s failed; it runs again in %s", name, period);
        }
        scheduleNext();
    }

    @Override
    public void close() {
        closed = true;
        TimeSource.Timer current = next;
        if (current != null) {
            current.cancel();
        }
    }
}
