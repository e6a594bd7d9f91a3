package orrery.model.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to. Timers due on the way run on the caller's thread, in
 * due order (ties in the order they were scheduled), so tests are deterministic.
 */
public final class ManualTimeSource implements TimeSource {

    private final PriorityQueue<ManualTimer> timers = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private Instant now;

    public ManualTimeSource(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public Timer schedule(Instant at, Runnable action) {
        ManualTimer timer = new ManualTimer(at, sequence.incrementAndGet(), action);
        synchronized (this) {
            timers.add(timer);
        }
        if (!at.isAfter(now())) {
            runDue();
        }
        return timer;
    }

    /** Moves the clock forward by {@code step}, running every timer that falls due. */
    public void advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("time only moves forward; step was " + step);
        }
        advanceTo(now().plus(step));
    }

    /** Moves the clock to {@code target}, running timers due on the way at their own instants. */
    public void advanceTo(Instant target) {
        while (true) {
            ManualTimer next;
            synchronized (this) {
                if (target.isBefore(now)) {
                    throw new IllegalArgumentException("time only moves forward; now is " + now + ", asked " + target);
                }
                next = timers.peek();
                if (next == null || next.due.isAfter(target)) {
                    now = target;
                    return;
                }
                timers.poll();
                if (next.due.isAfter(now)) {
                    now = next.due;
                }
            }
            next.fire();
        }
    }

    /** The earliest pending timer's due instant, or null when none is pending. */
    public synchronized Instant nextDue() {
        timers.removeIf(ManualTimer::isCancelled);
        ManualTimer next = timers.peek();
        return next == null ? null : next.due;
    }

    /** How many timers are waiting. */
    public synchronized int pending() {
        timers.removeIf(ManualTimer::isCancelled);
        return timers.size();
    }

    private void runDue() {
        advanceTo(now());
    }

    private static final class ManualTimer implements Timer, Comparable<ManualTimer> {
        private final Instant due;
        private final long sequence;
        private final Runnable action;
        private boolean done;

        ManualTimer(Instant due, long sequence, Runnable action) {
            this.due = Objects.requireNonNull(due, "due");
            this.sequence = sequence;
            this.action = Objects.requireNonNull(action, "action");
        }

        @Override
        public Instant due() {
            return due;
        }

        @Override
        public synchronized boolean cancel() {
            if (done) {
                return false;
            }
            done = true;
            return true;
        }

        synchronized boolean isCancelled() {
            return done;
        }

        void fire() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            action.run();
        }

        @Override
        public int compareTo(ManualTimer other) {
            int byDue = due.compareTo(other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
