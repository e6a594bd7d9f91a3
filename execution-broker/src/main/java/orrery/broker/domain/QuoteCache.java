package orrery.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import orrery.model.util.BoundedMaps;

/**
 * Answers kept for a short time, so that a client asking for the same thing again and again (a
 * retrying script, a dashboard, a benchmark) costs one round trip to the quoting service per
 * {@code lifetime} rather than one per request. Bounded: the least recently used answer goes first.
 * Time is passed in, so it runs on the simulated clock too.
 */
public final class QuoteCache<K, V> {

    private record Kept<V>(V value, Instant until) {
    }

    private final Duration lifetime;
    private final Map<K, Kept<V>> kept;

    public QuoteCache(Duration lifetime, int capacity) {
        this.lifetime = lifetime;
        this.kept = BoundedMaps.leastRecentlyUsed(capacity);
    }

    /** The answer kept for {@code key}, if it is still fresh at {@code now}. */
    public synchronized Optional<V> get(K key, Instant now) {
        Kept<V> found = kept.get(key);
        if (found == null) {
            return Optional.empty();
        }
        if (!now.isBefore(found.until()) || now.isBefore(found.until().minus(lifetime))) { // stale, or the clock went back
            kept.remove(key);
            return Optional.empty();
        }
        return Optional.of(found.value());
    }

    /** Keeps {@code value} for {@code key} from {@code now}; nothing when the lifetime is zero. */
    public synchronized void put(K key, V value, Instant now) {
        if (!lifetime.isZero() && !lifetime.isNegative()) {
            kept.put(key, new Kept<>(value, now.plus(lifetime)));
        }
    }

    public synchronized int size() {
        return kept.size();
    }
}
