package orrery.fswatch.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import orrery.model.time.TimeSource;

/**
 * Per-key debounce on a {@link TimeSource}: a key settles once it has been quiet for
 * {@code quietPeriod}, or {@code maxLatency} after it was first touched if it never goes quiet.
 *
 * <p>One timer per pending key, set when the key is first touched and moved forward lazily: a
 * touch only records the time, and a timer that fires early re-arms itself at the key's new due
 * instant. A burst of writes therefore costs one timer, not one per write: O(1) per touch, and
 * O(1) timers per key and quiet period.
 */
public final class Debouncer<K> {

    private final TimeSource time;
    private final Duration quietPeriod;
    private final Duration maxLatency;
    private final Consumer<K> onSettled;
    private final Map<K, Pending> pending = new HashMap<>();

    public Debouncer(TimeSource time, Duration quietPeriod, Duration maxLatency, Consumer<K> onSettled) {
        this.time = Objects.requireNonNull(time, "time");
        if (quietPeriod.isNegative() || maxLatency.compareTo(quietPeriod) < 0) {
            throw new IllegalArgumentException("need 0 <= quiet period (" + quietPeriod + ") <= max latency ("
                    + maxLatency + ")");
        }
        this.quietPeriod = quietPeriod;
        this.maxLatency = maxLatency;
        this.onSettled = Objects.requireNonNull(onSettled, "onSettled");
    }

    /** Records activity on {@code key}. */
    public void touch(K key) {
        Instant now = time.now();
        Pending entry;
        synchronized (this) {
            Pending existing = pending.get(key);
            if (existing != null) {
                existing.last = now;
                return;
            }
            entry = new Pending(now);
            pending.put(key, entry);
        }
        arm(key, entry, entry.due());
    }

    /** Forgets {@code key}; returns true if it was pending. */
    public boolean cancel(K key) {
        Pending entry;
        synchronized (this) {
            entry = pending.remove(key);
        }
        if (entry == null) {
            return false;
        }
        TimeSource.Timer timer = entry.timer;
        if (timer != null) {
            timer.cancel();
        }
        return true;
    }

    public synchronized boolean isPending(K key) {
        return pending.containsKey(key);
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    public Duration quietPeriod() {
        return quietPeriod;
    }

    public Duration maxLatency() {
        return maxLatency;
    }

    private void arm(K key, Pending entry, Instant due) {
        TimeSource.Timer timer = time.schedule(due, () -> fire(key, entry));
        synchronized (this) {
            if (pending.get(key) == entry && entry.timer == null) {
                entry.timer = timer;
            }
        }
    }

    private void fire(K key, Pending entry) {
        Instant due;
        synchronized (this) {
            if (pending.get(key) != entry) {
                return;
            }
            due = entry.due();
            if (!due.isAfter(time.now())) {
                pending.remove(key);
                due = null;
            } else {
                entry.timer = null;
            }
        }
        if (due == null) {
            onSettled.accept(key);
        } else {
            arm(key, entry, due);
        }
    }

    private final class Pending {
        private final Instant first;
        private Instant last;
        private TimeSource.Timer timer;

        Pending(Instant first) {
            this.first = first;
            this.last = first;
        }

        Instant due() {
            Instant quiet = last.plus(quietPeriod);
            Instant latest = first.plus(maxLatency);
            return quiet.isBefore(latest) ? quiet : latest;
        }
    }
}
