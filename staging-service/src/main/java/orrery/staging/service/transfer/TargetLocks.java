package orrery.staging.service.transfer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One lock per target path: two transfers to the same target never run together, the second
 * waits its turn (and then finds the file present).
 *
 * <p>The map holds an entry only while some transfer holds or waits for it, so it never grows
 * with the number of targets seen, only with the transfers running or queued at once. Each
 * entry counts its holder and waiters (reference counting); the count changes only inside the
 * map's atomic {@code compute} for its key, a joiner counts itself before it waits, and the last
 * one out removes the entry. A joiner that comes after the removal makes a fresh entry, which is
 * safe because nobody held or waited for the old one. Each acquire and release is O(1).
 */
final class TargetLocks {

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Blocks until no other transfer holds {@code target}; close the result to let the next one in. */
    Held acquire(String target) {
        Entry entry = entries.compute(target, (key, existing) -> (existing == null ? new Entry() : existing).join());
        entry.lock.acquireUninterruptibly();
        return new Held(target, entry);
    }

    /** Targets held or waited for now. */
    int size() {
        return entries.size();
    }

    private void release(String target, Entry entry) {
        entry.lock.release();
        entries.computeIfPresent(target, (key, current) -> current.leave() ? null : current);
    }

    private static final class Entry {
        final Semaphore lock = new Semaphore(1);
        /** Holder and waiters; read and written only inside the map's compute for this key. */
        private int users;

        Entry join() {
            users++;
            return this;
        }

        /** True when the last user left: the entry is to be removed. */
        boolean leave() {
            return --users == 0;
        }
    }

    /** A target held by the caller; closing it (once, however often it is called) lets the next one in. */
    final class Held implements AutoCloseable {
        private final String target;
        private final Entry entry;
        private final AtomicBoolean released = new AtomicBoolean();

        private Held(String target, Entry entry) {
            this.target = target;
            this.entry = entry;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(target, entry);
            }
        }
    }
}
