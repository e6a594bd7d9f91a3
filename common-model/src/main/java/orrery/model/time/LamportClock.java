package orrery.model.time;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe Lamport clock. A service ticks it for every message it sends and merges the
 * clock of every message it receives, so that causally later events always carry larger
 * values and receivers can recognise stale or out-of-order events.
 */
public final class LamportClock {

    private final AtomicLong value;

    public LamportClock() {
        this(0);
    }

    public LamportClock(long start) {
        if (start < 0) {
            throw new IllegalArgumentException("a Lamport clock starts at 0 or above, not " + start);
        }
        this.value = new AtomicLong(start);
    }

    /** Advances the clock for a local event (such as a send) and returns the new value. */
    public long tick() {
        return value.incrementAndGet();
    }

    /** Folds in a received clock value: {@code max(local, received) + 1}, returned. */
    public long merge(long received) {
        if (received < 0) {
            throw new IllegalArgumentException("a received Lamport clock cannot be negative: " + received);
        }
        return value.updateAndGet(local -> Math.max(local, received) + 1);
    }

    /** The current value, without advancing. */
    public long current() {
        return value.get();
    }
}
