package orrery.fswatch.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import orrery.fswatch.domain.ChangeSink;
import orrery.fswatch.domain.EventIds;
import orrery.fswatch.domain.FileIndex;
import orrery.fswatch.domain.IndexEntry;
import orrery.fswatch.domain.IndexStore;
import orrery.model.fs.FsEvent;
import org.jboss.logging.Logger;

/**
 * Publishes a root's events and keeps its index, in that order: an event is published first and
 * its index entry written only after the stream acknowledged it, so a crash in between
 * re-publishes the change on restart with the same id (derived from the index generation and
 * the revision the change follows), which JetStream drops.
 *
 * <p>Changes are queued and sent in batches: every event of a batch is published at once (one
 * connection keeps them in order), then every index write. A path has at most one change in the
 * queue; the in-memory index takes a change when its batch is done. Used only from the root's
 * worker thread.
 */
final class ChangeRecorder {

    /** One decided change: an event to publish (or none), then an entry to save or a path to forget. */
    record Change(FsEvent event, IndexEntry save, String forget) {

        String path() {
            return save != null ? save.path() : forget != null ? forget : event.path();
        }
    }

    private static final Logger LOG = Logger.getLogger(ChangeRecorder.class);
    static final int MAX_BATCH = 512;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final FileIndex index;
    private final IndexStore store;
    private final ChangeSink sink;
    private final Consumer<String> retryLater;
    private final List<Change> queued = new ArrayList<>();
    private final Set<String> queuedPaths = new HashSet<>();
    private final Map<String, IndexEntry> unsaved = new LinkedHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private volatile String generation = "";

    /** @param retryLater called with a path whose event could not be published, to look at it again later */
    ChangeRecorder(FileIndex index, IndexStore store, ChangeSink sink, Consumer<String> retryLater) {
        this.index = index;
        this.store = store;
        this.sink = sink;
        this.retryLater = retryLater;
    }

    void generation(String value) {
        generation = value;
    }

    /** Queues a change; the caller flushes first if {@link #isQueued} its path. */
    void queue(Change change) {
        if (!queuedPaths.add(change.path())) {
            throw new IllegalStateException("a change of " + change.path() + " is already queued");
        }
        queued.add(change);
        if (queued.size() >= MAX_BATCH) {
            flush();
        }
    }

    boolean isQueued(String path) {
        return queuedPaths.contains(path);
    }

    boolean hasQueued() {
        return !queued.isEmpty();
    }

    /** Publishes and stores every queued change; a change whose event was refused is retried later. */
    void flush() {
        if (queued.isEmpty()) {
            return;
        }
        List<Change> batch = new ArrayList<>(queued);
        queued.clear();
        queuedPaths.clear();
        store(publishAll(batch));
    }

    /** Sends every event of {@code batch} at once, then waits for each; the changes the stream took. */
    private List<Change> publishAll(List<Change> batch) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
        for (Change change : batch) {
            acks.add(change.event() == null ? CompletableFuture.completedFuture(null) : send(change.event()));
        }
        List<Change> accepted = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Change change = batch.get(i);
            try {
                await(acks.get(i));
                if (change.event() != null) {
                    published.incrementAndGet();
                }
                accepted.add(change);
            } catch (RuntimeException e) {
                LOG.warnf("could not publish %s of %s (will retry): %s", change.event().kind(), change.path(),
                        e.toString());
                retryLater.accept(change.path());
            }
        }
        return accepted;
    }

    /** Sends every index write of {@code accepted} at once, then applies each as it is answered. */
    private void store(List<Change> accepted) {
        List<CompletableFuture<Long>> writes = new ArrayList<>(accepted.size());
        List<Long> expected = new ArrayList<>(accepted.size());
        for (Change change : accepted) {
            long revision = index.revisionOf(change.path());
            expected.add(revision);
            writes.add(change.save() != null ? store.write(change.save(), revision) : store.delete(change.forget(), revision));
        }
        for (int i = 0; i < accepted.size(); i++) {
            Change change = accepted.get(i);
            applyWrite(change.path(), change.save(), expected.get(i), writes.get(i));
        }
    }

    /** Publishes {@code event} now (after anything queued); false, logged, when it could not be. */
    boolean publish(FsEvent event) {
        flush();
        try {
            await(send(event));
            published.incrementAndGet();
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("could not publish %s of %s in root %s (will retry): %s", event.kind(), event.path(),
                    event.root(), e.toString());
            return false;
        }
    }

    /** Records {@code entry} in memory and in the store now. */
    void save(IndexEntry entry) {
        long expected = index.revisionOf(entry.path());
        applyWrite(entry.path(), entry, expected, store.write(entry, expected));
    }

    /** Forgets {@code path} in memory and marks it deleted in the store now. */
    void forget(String path) {
        long expected = index.revisionOf(path);
        applyWrite(path, null, expected, store.delete(path, expected));
    }

    /** Retries index writes that failed while the store was away. */
    void flushUnsaved() {
        for (Map.Entry<String, IndexEntry> pending : Map.copyOf(unsaved).entrySet()) {
            unsaved.remove(pending.getKey());
            long expected = index.revisionOf(pending.getKey());
            IndexEntry entry = pending.getValue();
            applyWrite(pending.getKey(), entry, expected,
                    entry == null ? store.delete(pending.getKey(), expected) : store.write(entry, expected));
        }
    }

    long publishedCount() {
        return published.get();
    }

    private CompletableFuture<Void> send(FsEvent event) {
        try {
            return sink.publish(event, EventIds.of(event, generation, index.revisionOf(event.path())));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void applyWrite(String path, IndexEntry entry, long expected, CompletableFuture<Long> write) {
        long revision;
        try {
            revision = await(write);
        } catch (RuntimeException e) {
            LOG.warnf("could not store the index entry of %s (will retry): %s", path, e.toString());
            unsaved.put(path, entry);
            retryLater.accept(path);
            remember(path, entry, expected);
            return;
        }
        if (revision >= 0) {
            remember(path, entry, revision);
        } else {
            adoptStored(path, entry);
        }
    }

    /** The in-memory index takes {@code entry} (or forgets {@code path}) at {@code revision}. */
    private void remember(String path, IndexEntry entry, long revision) {
        if (entry == null) {
            index.remove(path, revision);
        } else {
            index.put(entry.withRevision(revision));
        }
    }

    /** Another watcher of this root stored the path first; adopt what it knows. */
    private void adoptStored(String path, IndexEntry entry) {
        try {
            IndexStore.Stored current = store.read(path);
            if (current.entry() != null) {
                index.put(current.entry());
            } else {
                index.remove(path, current.revision());
            }
        } catch (RuntimeException e) {
            unsaved.put(path, entry);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from NATS within " + PATIENCE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
