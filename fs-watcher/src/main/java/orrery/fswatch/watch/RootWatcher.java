package orrery.fswatch.watch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import orrery.fswatch.domain.ChangeSink;
import orrery.fswatch.domain.Debouncer;
import orrery.fswatch.domain.FileIndex;
import orrery.fswatch.domain.FileStat;
import orrery.fswatch.domain.IndexEntry;
import orrery.fswatch.domain.IndexStore;
import orrery.fswatch.domain.PathRules;
import orrery.fswatch.domain.RootSpec;
import orrery.fswatch.domain.WatchLimitException;
import orrery.model.fs.FsEvent;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * Watches one root and publishes its settled changes.
 *
 * <p>Threads: a poller takes raw events from the JDK watch service (inotify on Linux) into a
 * bounded queue; when the queue is full, or the kernel reports an overflow, the affected folder
 * is rescanned instead. Everything else runs on the root's single worker thread, which keeps
 * changes of one file in order: it registers new folders, feeds the debouncers, decides what a
 * settled file's change is, and publishes it. Hashing runs on the shared {@link HashPool}.
 *
 * <p>Start-up loads the stored index and compares the tree with it, so changes made while no
 * watcher ran are published too.
 */
public final class RootWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RootWatcher.class);
    private static final int MAX_ARRIVALS = 100_000;

    /** Where a root stands. */
    public enum State {
        STARTING,
        WATCHING,
        FAILED,
        STOPPED
    }

    private enum RawKind {
        CREATE,
        MODIFY,
        DELETE
    }

    private record RawEvent(String path, RawKind kind) {
    }

    private final RootSpec spec;
    private final Path rootPath;
    private final PathRules rules;
    private final TimeSource time;
    private final IndexStore store;
    private final HashPool hashes;
    private final WatchRegistrar registrar;
    private final WatcherSettings settings;
    private final FileIndex index = new FileIndex();
    private final ChangeRecorder recorder;
    private final LogFollower logs;
    private final Debouncer<String> fileDebouncer;
    private final Debouncer<String> logDebouncer;
    private final LinkedBlockingQueue<Runnable> workQueue = new LinkedBlockingQueue<>();
    private final ExecutorService worker;
    private final ArrayBlockingQueue<RawEvent> queue;
    private final Set<String> rescans = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong overflows = new AtomicLong();
    private final AtomicLong rescanCount = new AtomicLong();
    // Worker-only state.
    // Files that appeared recently, by inode, to pair a disappearance with its new name.
    private final Map<Long, String> arrivals = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > MAX_ARRIVALS;
        }
    };
    private final Set<String> hashing = new HashSet<>();
    private final Set<String> hashAgain = new HashSet<>();
    private WatchService watchService;
    private DirectoryWatches watches;
    private Thread poller;

    private volatile State state = State.STARTING;
    private volatile String error;
    private volatile boolean running = true;

    public RootWatcher(RootSpec spec, TimeSource time, IndexStore store, ChangeSink sink, HashPool hashes,
                       WatchRegistrar registrar, WatcherSettings settings) {
        this.spec = spec;
        this.rootPath = spec.path();
        this.rules = spec.rules();
        this.time = time;
        this.store = store;
        this.hashes = hashes;
        this.registrar = registrar;
        this.settings = settings;
        this.recorder = new ChangeRecorder(index, store, sink, this::retryLater);
        this.logs = new LogFollower(spec.name(), rootPath, index, recorder, settings);
        this.fileDebouncer = new Debouncer<>(time, spec.quietPeriod(), spec.maxLatency(), this::settled);
        this.logDebouncer = new Debouncer<>(time, settings.logInterval(), settings.logInterval(), this::settled);
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, workQueue, runnable -> {
            Thread thread = new Thread(runnable, "fswatch-" + spec.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        onWorker(this::startWatching);
    }

    /** Compares the whole tree with the index again, publishing whatever differs. */
    public void rescan() {
        onWorker(() -> {
            if (state == State.WATCHING) {
                rescanCount.incrementAndGet();
                try {
                    reconcile("", true);
                } catch (WatchLimitException e) {
                    fail(e.getMessage());
                }
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
        return new RootStatus(spec.name(), state, error, index.size(), watches == null ? 0 : watches.count(),
                fileDebouncer.pendingCount() + logDebouncer.pendingCount(), recorder.publishedCount(),
                overflows.get(), rescanCount.get());
    }

    @Override
    public void close() {
        running = false;
        state = State.STOPPED;
        closeWatchService();
        try {
            worker.execute(() -> {
                recorder.flush();
                logs.close();
            });
        } catch (RejectedExecutionException e) {
            return;
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
            if (poller != null) {
                poller.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- start-up -----------------------------------------------------------------------------

    private void startWatching() {
        if (!running) {
            return;
        }
        try {
            recorder.generation(store.load(index::put, index::tombstone));
            try {
                watchService = FileSystems.getDefault().newWatchService();
            } catch (IOException e) {
                throw WatchLimitException.explain(e, rootPath.toString());
            }
            watches = new DirectoryWatches(rootPath, watchService, registrar);
            poller = new Thread(this::poll, "fswatch-poll-" + spec.name());
            poller.setDaemon(true);
            poller.start();
            reconcile("", true);
            error = null;
            if (hashing.isEmpty()) {
                initialScanDone();
            }
        } catch (WatchLimitException e) {
            fail(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            fail("cannot watch " + rootPath + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // Most likely NATS is not reachable yet: the index cannot be loaded. Try again.
            error = "waiting for the index store: " + e.getMessage();
            LOG.warnf("root %s cannot start yet (will retry): %s", spec.name(), e.toString());
            closeWatchService();
            time.scheduleAfter(settings.retryDelay(), this::start);
        }
    }

    // WATCHING once the first comparison of tree and index is published, hashes included.
    private void initialScanDone() {
        if (state == State.STARTING) {
            recorder.flush();
            state = State.WATCHING;
            LOG.infof("watching root %s at %s: %d files known, %d folders watched", spec.name(), rootPath,
                    index.size(), watches.count());
        }
    }

    private void fail(String why) {
        state = State.FAILED;
        error = why;
        LOG.errorf("root %s stopped: %s", spec.name(), why);
        closeWatchService();
    }

    private void closeWatchService() {
        WatchService service = watchService;
        if (service != null) {
            try {
                service.close();
            } catch (IOException ignored) {
                // closing; nothing to save
            }
        }
    }

    // ---- raw events: poller thread ------------------------------------------------------------

    private void poll() {
        WatchService service = watchService;
        while (running) {
            WatchKey key;
            try {
                key = service.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            String folder = watches.folderOf(key);
            for (WatchEvent<?> event : key.pollEvents()) {
                if (folder == null) {
                    continue;
                }
                if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                    overflow(folder);
                    continue;
                }
                String name = event.context().toString();
                String path = folder.isEmpty() ? name : folder + "/" + name;
                if (!queue.offer(new RawEvent(path, kindOf(event)))) {
                    overflow(folder);
                }
            }
            if (!key.reset()) {
                watches.forget(key);
                if ("".equals(folder) && running) {
                    fail("the root folder " + rootPath + " was deleted or moved away; create it again and PUT the "
                            + "root to watch it again");
                    return;
                }
            }
            if (drainScheduled.compareAndSet(false, true)) {
                onWorker(this::drain);
            }
        }
    }

    private static RawKind kindOf(WatchEvent<?> event) {
        if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
            return RawKind.CREATE;
        }
        return event.kind() == StandardWatchEventKinds.ENTRY_DELETE ? RawKind.DELETE : RawKind.MODIFY;
    }

    private void overflow(String folder) {
        overflows.incrementAndGet();
        rescans.add(folder);
    }

    // ---- worker -------------------------------------------------------------------------------

    private void drain() {
        drainScheduled.set(false);
        try {
            RawEvent event;
            while ((event = queue.poll()) != null) {
                handle(event);
            }
            for (String folder : List.copyOf(rescans)) {
                rescans.remove(folder);
                rescanCount.incrementAndGet();
                reconcile(folder, false);
            }
        } catch (WatchLimitException e) {
            fail(e.getMessage());
        }
    }

    private void handle(RawEvent event) throws WatchLimitException {
        String path = event.path();
        switch (event.kind()) {
            case CREATE -> {
                BasicFileAttributes attributes = attributesOf(path);
                if (attributes != null && attributes.isDirectory()) {
                    if (!rules.ignoresDirectory(path)) {
                        reconcile(path, false);
                    }
                } else {
                    FileStat stat = attributes == null ? null : FileStat.of(attributes);
                    if (stat != null && stat.inode() != 0 && rules.classify(path) == PathRules.Kind.FILE) {
                        arrivals.put(stat.inode(), path);
                    }
                    touch(path);
                }
            }
            case MODIFY -> touch(path);
            case DELETE -> {
                watches.cancelUnder(path);
                touch(path);
                for (String known : index.pathsUnder(path)) {
                    touch(known);
                }
            }
        }
    }

    /**
     * Walks {@code folder}, watching every folder in it, and compares its files with the index.
     * {@code now}: decide at once (start-up, asked rescans); otherwise through the debouncers
     * (new folders, overflows), since something is still changing there.
     */
    private void reconcile(String folder, boolean now) throws WatchLimitException {
        Set<String> seen = new HashSet<>();
        try {
            walk(folder, (path, stat) -> {
                seen.add(path);
                if (now) {
                    settleNow(path, stat);
                } else {
                    if (stat.inode() != 0 && rules.classify(path) == PathRules.Kind.FILE) {
                        arrivals.put(stat.inode(), path);
                    }
                    touch(path);
                }
            });
        } catch (WatchLimitException e) {
            throw e;
        } catch (IOException e) {
            LOG.debugf("folder %s of root %s vanished while scanned: %s", folder, spec.name(), e.toString());
        }
        for (String known : index.pathsUnder(folder)) {
            if (!seen.contains(known)) {
                if (now) {
                    settle(known);
                } else {
                    touch(known);
                }
            }
        }
    }

    private interface FileVisitor {
        void file(String path, FileStat stat);
    }

    private void walk(String folder, FileVisitor visitor) throws IOException {
        Path start = folder.isEmpty() ? rootPath : rootPath.resolve(folder);
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                String path = relative(dir);
                if (rules.ignoresDirectory(path)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                watches.register(path);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String path = relative(file);
                FileStat stat = FileStat.of(attributes);
                if (stat != null && rules.classifyInWalk(path) != PathRules.Kind.IGNORED) {
                    visitor.file(path, stat);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof WatchLimitException) {
                    throw e;
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void touch(String path) {
        if (!running) {
            return;
        }
        PathRules.Kind kind = rules.classify(path);
        if (kind == PathRules.Kind.LOG) {
            logDebouncer.touch(path);
        } else if (kind == PathRules.Kind.FILE || index.get(path) != null) {
            fileDebouncer.touch(path);
        }
    }

    // Debouncer timers fire on the time source's thread; the decision belongs to the worker.
    private void settled(String path) {
        onWorker(() -> settle(path));
    }

    private void settle(String path) {
        flushIfQueued(path);
        PathRules.Kind kind = rules.classify(path);
        if (kind == PathRules.Kind.LOG) {
            followLog(path);
            return;
        }
        FileStat stat = kind == PathRules.Kind.FILE ? FileStat.read(rootPath.resolve(path)) : null;
        if (stat == null) {
            gone(path);
        } else {
            present(path, stat);
        }
    }

    private void settleNow(String path, FileStat stat) {
        flushIfQueued(path);
        if (rules.classify(path) == PathRules.Kind.LOG) {
            followLog(path);
        } else {
            present(path, stat);
        }
    }

    private void followLog(String path) {
        switch (logs.flush(path)) {
            case MORE -> logDebouncer.touch(path);
            case RETRY -> retryLater(path);
            case DONE -> {
            }
        }
    }

    private void present(String path, FileStat stat) {
        if (arrivals.get(stat.inode()) != null && path.equals(arrivals.get(stat.inode()))) {
            arrivals.remove(stat.inode());
        }
        IndexEntry known = index.get(path);
        if (known != null && known.sameStat(stat)) {
            return;
        }
        if ((known == null || known.inode() != stat.inode()) && movedHere(path, stat, known)) {
            return;
        }
        if (!hashing.add(path)) {
            hashAgain.add(path);
            return;
        }
        hashes.submit(rootPath.resolve(path), result -> onWorker(() -> hashed(path, stat, result)));
    }

    // A file with this inode, size and mtime was indexed under another path that no longer holds it: a rename.
    private boolean movedHere(String path, FileStat stat, IndexEntry known) {
        String from = index.pathOfInode(stat.inode());
        if (from == null || from.equals(path)) {
            return false;
        }
        flushIfQueued(from);
        IndexEntry origin = index.get(from);
        if (origin == null || origin.isLog() || origin.size() != stat.size() || origin.mtimeNanos() != stat.mtimeNanos()) {
            return false;
        }
        FileStat atOrigin = FileStat.read(rootPath.resolve(from));
        if (atOrigin != null && atOrigin.inode() == stat.inode()) {
            return false;
        }
        FsEvent event = FsEvent.moved(spec.name(), from, path, stat.size(), stat.mtime(), origin.sha256(),
                known == null ? null : known.sha256());
        if (!recorder.publish(event)) {
            retryLater(path);
            return true;
        }
        recorder.save(IndexEntry.file(path, stat, origin.sha256(), 0));
        recorder.forget(from);
        fileDebouncer.cancel(from);
        return true;
    }

    private void hashed(String path, FileStat before, HashPool.Result result) {
        hashing.remove(path);
        flushIfQueued(path);
        try {
            decide(path, before, result);
        } finally {
            if (hashing.isEmpty()) {
                initialScanDone();
            }
        }
    }

    private void decide(String path, FileStat before, HashPool.Result result) {
        boolean again = hashAgain.remove(path);
        if (result.sha256() == null || !before.equals(result.after())) {
            // Gone or still being written while we read it: look again once it settles.
            touch(path);
            return;
        }
        IndexEntry known = index.get(path);
        IndexEntry entry = IndexEntry.file(path, before, result.sha256(), 0);
        if (known != null && !known.isLog() && known.sha256().equals(result.sha256())) {
            recorder.queue(new ChangeRecorder.Change(null, entry, null));
        } else {
            FsEvent event = known == null || known.isLog()
                    ? FsEvent.created(spec.name(), path, before.size(), before.mtime(), result.sha256())
                    : FsEvent.modified(spec.name(), path, before.size(), before.mtime(), result.sha256(),
                            known.sha256());
            recorder.queue(new ChangeRecorder.Change(event, entry, null));
        }
        if (again) {
            settle(path);
        }
    }

    private void gone(String path) {
        IndexEntry known = index.get(path);
        if (known == null) {
            return;
        }
        String arrived = arrivals.get(known.inode());
        if (arrived != null && !arrived.equals(path)) {
            FileStat there = FileStat.read(rootPath.resolve(arrived));
            if (there != null && there.inode() == known.inode()) {
                // Renamed, and the new name may not have settled yet: settle it now, as a move.
                fileDebouncer.cancel(arrived);
                settle(arrived);
                if (index.get(path) == null) {
                    return;
                }
            }
        }
        recorder.queue(new ChangeRecorder.Change(FsEvent.deleted(spec.name(), path, known.sha256()), null, path));
    }

    private void flushIfQueued(String path) {
        if (recorder.isQueued(path)) {
            recorder.flush();
        }
    }

    private void retryLater(String path) {
        time.scheduleAfter(settings.retryDelay(), () -> onWorker(() -> {
            recorder.flushUnsaved();
            touch(path);
        }));
    }

    private BasicFileAttributes attributesOf(String path) {
        try {
            return Files.readAttributes(rootPath.resolve(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    private String relative(Path path) {
        String relative = rootPath.relativize(path).toString();
        return path.getFileSystem().getSeparator().equals("/") ? relative : relative.replace('\\', '/');
    }

    private void onWorker(Runnable task) {
        if (!running) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    task.run();
                    // Queued changes go out as one batch once the worker has caught up.
                    if (workQueue.isEmpty()) {
                        recorder.flush();
                    }
                } catch (RuntimeException e) {
                    LOG.errorf(e, "root %s: unexpected error", spec.name());
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** For listings: up to {@code limit} entries under {@code prefix} after {@code after}. */
    public List<IndexEntry> files(String prefix, String after, int limit) {
        return new ArrayList<>(index.page(prefix, after, limit));
    }
}
