package orrery.fswatch.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import orrery.fswatch.backend.HashPool;
import orrery.fswatch.backend.RawEvents;
import orrery.fswatch.backend.TreeWatch;
import orrery.fswatch.backend.WatchRegistrar;
import orrery.fswatch.config.WatcherSettings;
import orrery.fswatch.domain.ChangeSink;
import orrery.fswatch.domain.FileIndex;
import orrery.fswatch.domain.IndexEntry;
import orrery.fswatch.domain.IndexStore;
import orrery.fswatch.domain.RootSpec;
import orrery.fswatch.domain.WatchLimitException;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * Watches one root and publishes its settled changes.
 *
 * <p>Threads: a poller ({@link TreeWatch}) takes raw events from the JDK watch service (inotify on
 * Linux) into a bounded queue ({@link RawEvents}); when the queue is full, or the kernel reports an
 * overflow, the affected folder is rescanned instead. Everything else runs on the root's single
 * {@link RootWorker}, which keeps changes of one file in order: the {@link TreeReconciler} registers
 * new folders and feeds the debouncers, the {@link ChangeDecider} decides what a settled file's change
 * is, and the {@link ChangeRecorder} publishes it and stores the index. Hashing runs on the shared
 * {@link HashPool}.
 *
 * <p>Start-up loads the stored index and compares the tree with it, so changes made while no
 * watcher ran are published too; a start that cannot reach the index store is tried again.
 */
public final class RootWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RootWatcher.class);

    /** Where a root stands. */
    public enum State {
        STARTING,
        WATCHING,
        FAILED,
        STOPPED
    }

    private final RootSpec spec;
    private final Path rootPath;
    private final TimeSource time;
    private final IndexStore store;
    private final WatchRegistrar registrar;
    private final WatcherSettings settings;
    private final FileIndex index = new FileIndex();
    private final RawEvents events;
    private final ChangeRecorder recorder;
    private final RootWorker worker;
    private final ChangeDecider decider;
    private final TreeReconciler reconciler;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile TreeWatch tree;
    private volatile State state = State.STARTING;
    private volatile String error;
    private boolean initialWalked;

    public RootWatcher(RootSpec spec, TimeSource time, IndexStore store, ChangeSink sink, HashPool hashes,
                       WatchRegistrar registrar, WatcherSettings settings) {
        this.spec = spec;
        this.rootPath = spec.path();
        this.time = time;
        this.store = store;
        this.registrar = registrar;
        this.settings = settings;
        this.events = new RawEvents(settings.queueCapacity());
        this.recorder = new ChangeRecorder(index, store, sink, this::retryLater, this::onWorker);
        this.worker = new RootWorker(spec.name(), this::flushRecorder);
        this.decider = new ChangeDecider(spec, time, index, recorder, hashes, worker, settings, this::initialScanDone);
        this.reconciler = new TreeReconciler(spec, index, events, decider, hashes, worker);
    }

    public void start() {
        worker.run(this::startWatching);
    }

    /** Compares the whole tree with the index again, publishing whatever differs. */
    public void rescan() {
        worker.run(() -> {
            if (state == State.WATCHING) {
                reconciler.rescanAll(tree, this::fail);
            }
        });
    }

    public RootSpec spec() {
        return spec;
    }

    public FileIndex index() {
        return index;
    }

    public RootStatus status() {
        TreeWatch current = tree;
        return new RootStatus(spec.name(), state, error, index.size(), current == null ? 0 : current.folders(),
                decider.pending(), recorder.publishedCount(), events.overflows(), reconciler.rescans());
    }

    /** For listings: up to {@code limit} entries under {@code prefix} after {@code after}. */
    public List<IndexEntry> files(String prefix, String after, int limit) {
        return new ArrayList<>(index.page(prefix, after, limit));
    }

    @Override
    public void close() {
        worker.stop();
        state = State.STOPPED;
        closeTree();
        try {
            if (worker.shutDown(() -> {
                recorder.flush();
                decider.closeLogs();
            })) {
                joinPoller();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- start-up -----------------------------------------------------------------------------

    private void startWatching() {
        if (!worker.isRunning()) {
            return;
        }
        try {
            recorder.generation(store.load(index::put, index::tombstone));
            TreeWatch opened = TreeWatch.open(spec.name(), rootPath, registrar, events, this::eventsArrived, this::fail);
            tree = opened;
            error = null;
            reconciler.scan(opened, this::initialScanWalked, this::fail);
        } catch (WatchLimitException e) {
            fail(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            fail("cannot watch " + rootPath + ": " + e.getMessage());
        } catch (RuntimeException e) {
            retryStart(e);
        }
    }

    // Most likely NATS is not reachable yet: the index cannot be loaded. Try again.
    private void retryStart(RuntimeException e) {
        error = "waiting for the index store: " + e.getMessage();
        LOG.warnf("root %s cannot start yet (will retry): %s", spec.name(), e.toString());
        closeTree();
        time.scheduleAfter(settings.retryDelay(), this::start);
    }

    // On the worker, once the first scan's every folder was walked and what it found decided.
    private void initialScanWalked() {
        initialWalked = true;
        if (decider.idle()) {
            initialScanDone();
        }
    }

    // WATCHING once the first comparison of tree and index is published, hashes included.
    private void initialScanDone() {
        if (state == State.STARTING && initialWalked) {
            recorder.flush();
            state = State.WATCHING;
            LOG.infof("watching root %s at %s: %d files known, %d folders watched", spec.name(), rootPath,
                    index.size(), tree.folders());
        }
    }

    private void fail(String why) {
        state = State.FAILED;
        error = why;
        LOG.errorf("root %s stopped: %s", spec.name(), why);
        closeTree();
    }

    // ---- raw events ---------------------------------------------------------------------------

    // On the poller thread: one drain on the worker at a time, however many batches arrive meanwhile.
    private void eventsArrived() {
        if (drainScheduled.compareAndSet(false, true)) {
            worker.run(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        try {
            reconciler.drain(tree);
        } catch (WatchLimitException e) {
            fail(e.getMessage());
        }
    }

    private void onWorker(Runnable task) {
        worker.run(task);
    }

    private void retryLater(String path) {
        decider.retryLater(path);
    }

    // The worker caught up: take in the answers already there (the rest arrive by themselves).
    private void flushRecorder() {
        recorder.collectDone();
    }

    private void closeTree() {
        TreeWatch current = tree;
        if (current != null) {
            current.close();
        }
    }

    private void joinPoller() throws InterruptedException {
        TreeWatch current = tree;
        if (current != null) {
            current.join(TimeUnit.SECONDS.toMillis(5));
        }
    }
}
