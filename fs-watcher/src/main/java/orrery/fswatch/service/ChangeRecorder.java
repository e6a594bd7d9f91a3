package orrery.fswatch.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Changes are pipelined: each is sent as it is queued (asynchronous JetStream publish), and its
 * index write is sent as soon as the stream acknowledged the event, so up to {@link #WINDOW}
 * changes are in flight at once (the worker waits for the oldest when the window is full). The
 * in-memory index takes a change, in queue order, once its index write is answered. A path has at
 * most one change in flight: a caller that {@link #isQueued} it first {@link #settle}s it. Used only
 * from the root's worker thread; answers arriving on NATS threads only ask the worker to collect them.
 */
final class ChangeRecorder {

    /** One decided change: an event to publish (or none), then an entry to save or a path to forget. */
    record Change(FsEvent event, IndexEntry save, String forget) {

        String path() {
            return save != null ? save.path() : forget != null ? forget : event.path();
        }
    }

    /** What became of a change in flight. */
    private record Outcome(long revision, RuntimeException publishError, RuntimeException writeError) {
    }

    /** A change sent: the revision its index write expects, and its outcome once both answers are in. */
    private record InFlight(Change change, long expected, CompletableFuture<Outcome> outcome) {
    }

    private static final Logger LOG = Logger.getLogger(ChangeRecorder.class);
    /** Changes in flight at most (each one event publish, then one index write). */
    static final int WINDOW = 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final FileIndex index;
    private final IndexStore store;
    private final ChangeSink sink;
    private final Consumer<String> retryLater;
    private final Consumer<Runnable> onWorker;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final Set<String> inFlightPaths = new HashSet<>();
    private final Map<String, IndexEntry> unsaved = new LinkedHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicBoolean collectAsked = new AtomicBoolean();
    private volatile String generation = "";

    /**
     * @param retryLater called with a path whose event could not be published, to look at it again later
     * @param onWorker runs a task on the root's worker (to collect answers that arrived while it was idle)
     */
    ChangeRecorder(FileIndex index, IndexStore store, ChangeSink sink, Consumer<String> retryLater,
                   Consumer<Runnable> onWorker) {
        this.index = index;
        this.store = store;
        this.sink = sink;
        this.retryLater = retryLater;
        this.onWorker = onWorker;
    }

    void generation(String value) {
        generation = value;
    }

    /** Sends a change now (waiting for the oldest change in flight when the window is full). */
    void queue(Change change) {
        String path = change.path();
        if (!inFlightPaths.add(path)) {
            throw new IllegalStateException("a change of " + path + " is already queued");
        }
        while (inFlight.size() >= WINDOW) {
            complete(inFlight.poll());
        }
        long expected = index.revisionOf(path);
        CompletableFuture<Void> ack = change.event() == null ? CompletableFuture.completedFuture(null) : send(change.event());
        CompletableFuture<Outcome> outcome = ack.handle((ignored, error) -> error).thenCompose(error -> {
            if (error != null) {
                return CompletableFuture.completedFuture(new Outcome(0, unwrap(error), null));
            }
            return write(change, expected).handle((revision, writeError) -> writeError == null
                    ? new Outcome(revision, null, null) : new Outcome(0, null, unwrap(writeError)));
        });
        inFlight.add(new InFlight(change, expected, outcome));
        outcome.whenComplete((ignored, error) -> askCollect());
        collectDone();
    }

    /** Whether a change of {@code path} is in flight. */
    boolean isQueued(String path) {
        return inFlightPaths.contains(path);
    }

    boolean hasQueued() {
        return !inFlight.isEmpty();
    }

    /** Waits until the change of {@code path} in flight (and every one sent before it) is done. */
    void settle(String path) {
        while (inFlightPaths.contains(path)) {
            complete(inFlight.poll());
        }
    }

    /** Waits for every change in flight: published, acknowledged and its index entry written (or retried later). */
    void flush() {
        while (!inFlight.isEmpty()) {
            complete(inFlight.poll());
        }
    }

    /** Takes in the changes at the head of the window whose answers are in, without waiting. */
    void collectDone() {
        InFlight head;
        while ((head = inFlight.peek()) != null && head.outcome().isDone()) {
            complete(inFlight.poll());
        }
    }

    private void askCollect() {
        if (collectAsked.compareAndSet(false, true)) {
            onWorker.accept(() -> {
                collectAsked.set(false);
                collectDone();
            });
        }
    }

    private CompletableFuture<Long> write(Change change, long expected) {
        try {
            return change.save() != null ? store.write(change.save(), expected) : store.delete(change.forget(), expected);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Applies one change's outcome (waiting for it if need be) to the in-memory index. */
    private void complete(InFlight sent) {
        Change change = sent.change();
        String path = change.path();
        inFlightPaths.remove(path);
        Outcome outcome;
        try {
            outcome = await(sent.outcome());
        } catch (RuntimeException e) {
            outcome = new Outcome(0, e, null);
        }
        if (outcome.publishError() != null) {
            LOG.warnf("could not publish %s of %s (the stream did not acknowledge it; will retry): %s",
                    change.event().kind(), path, outcome.publishError().toString());
            retryLater.accept(path);
            return;
        }
        if (change.event() != null) {
            published.incrementAndGet();
        }
        if (outcome.writeError() != null) {
            failedWrite(path, change.save(), sent.expected(), outcome.writeError());
        } else {
            applied(path, change.save(), outcome.revision());
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
            failedWrite(path, entry, expected, e);
            return;
        }
        applied(path, entry, revision);
    }

    private void failedWrite(String path, IndexEntry entry, long expected, RuntimeException e) {
        LOG.warnf("could not store the index entry of %s (will retry): %s", path, e.toString());
        unsaved.put(path, entry);
        retryLater.accept(path);
        remember(path, entry, expected);
    }

    private void applied(String path, IndexEntry entry, long revision) {
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

    private static RuntimeException unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause.getMessage(), cause);
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
