package orrery.fswatch.watch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import orrery.fswatch.domain.ChangeSink;
import orrery.fswatch.domain.EventIds;
import orrery.fswatch.domain.FileIndex;
import orrery.fswatch.domain.IndexEntry;
import orrery.fswatch.domain.IndexStore;
import orrery.model.fs.FsEvent;
import org.jboss.logging.Logger;

/**
 * Publishes a root's events and keeps its index, in that order: an event is published first and
 * the index written after, so a crash in between re-publishes the change on restart, with the
 * same id (derived from the revision the change follows), which JetStream drops. Used only from
 * the root's worker thread.
 */
final class ChangeRecorder {

    private static final Logger LOG = Logger.getLogger(ChangeRecorder.class);

    private final FileIndex index;
    private final IndexStore store;
    private final ChangeSink sink;
    private final Map<String, IndexEntry> unsaved = new LinkedHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private volatile String generation = "";

    ChangeRecorder(FileIndex index, IndexStore store, ChangeSink sink) {
        this.index = index;
        this.store = store;
        this.sink = sink;
    }

    void generation(String value) {
        generation = value;
    }

    /** Publishes {@code event}; false (and logged) when it could not be, so the caller retries later. */
    boolean publish(FsEvent event) {
        try {
            sink.publish(event, EventIds.of(event, generation, index.revisionOf(event.path())));
            published.incrementAndGet();
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("could not publish %s of %s in root %s (will retry): %s", event.kind(), event.path(),
                    event.root(), e.toString());
            return false;
        }
    }

    /** Records {@code entry} in memory and in the store (compare-and-set on the revision it follows). */
    void save(IndexEntry entry) {
        long expected = index.revisionOf(entry.path());
        index.put(entry.withRevision(expected));
        write(entry.path(), entry, expected);
    }

    /** Forgets {@code path} in memory and marks it deleted in the store. */
    void forget(String path) {
        long expected = index.revisionOf(path);
        index.remove(path, expected);
        write(path, null, expected);
    }

    /** Retries index writes that failed while the store was away; true when none is left. */
    boolean flushUnsaved() {
        for (Map.Entry<String, IndexEntry> pending : Map.copyOf(unsaved).entrySet()) {
            unsaved.remove(pending.getKey());
            write(pending.getKey(), pending.getValue(), index.revisionOf(pending.getKey()));
        }
        return unsaved.isEmpty();
    }

    boolean hasUnsaved() {
        return !unsaved.isEmpty();
    }

    long publishedCount() {
        return published.get();
    }

    private void write(String path, IndexEntry entry, long expected) {
        long revision;
        try {
            revision = entry == null ? store.delete(path, expected) : store.write(entry, expected);
        } catch (RuntimeException e) {
            LOG.warnf("could not store the index entry of %s (will retry): %s", path, e.toString());
            unsaved.put(path, entry);
            return;
        }
        if (revision < 0) {
            // Another watcher of this root stored it first; adopt what it knows.
            IndexStore.Stored current;
            try {
                current = store.read(path);
            } catch (RuntimeException e) {
                unsaved.put(path, entry);
                return;
            }
            if (current.entry() != null) {
                index.put(current.entry());
            } else {
                index.remove(path, current.revision());
            }
        } else if (entry == null) {
            index.remove(path, revision);
        } else {
            index.put(entry.withRevision(revision));
        }
    }
}
