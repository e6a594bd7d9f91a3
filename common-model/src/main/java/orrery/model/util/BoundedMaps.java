package orrery.model.util;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps that keep at most a given number of entries, dropping one when a put goes over: the least
 * recently used (for caches and memories of recent things) or the oldest put (for "what arrived
 * lately"). Not thread-safe: callers that share one wrap or guard it.
 */
public final class BoundedMaps {

    private BoundedMaps() {
    }

    /** Drops the entry read or written longest ago. */
    public static <K, V> Map<K, V> leastRecentlyUsed(int capacity) {
        return bounded(capacity, true);
    }

    /** Drops the entry put first (reads do not count). */
    public static <K, V> Map<K, V> oldestFirst(int capacity) {
        return bounded(capacity, false);
    }

    private static <K, V> Map<K, V> bounded(int capacity, boolean accessOrder) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 but was " + capacity);
        }
        return new LinkedHashMap<>(Math.min(capacity, 64), 0.75f, accessOrder) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
