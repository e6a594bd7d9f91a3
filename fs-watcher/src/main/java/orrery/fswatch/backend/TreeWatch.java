package orrery.fswatch.backend;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import orrery.fswatch.domain.FileStat;
import orrery.fswatch.domain.PathRules;
import orrery.fswatch.domain.WatchLimitException;

/**
 * The kernel's side of one root: a JDK watch service (inotify on Linux, one watch per folder) and
 * the poller thread that takes its events into the root's {@link RawEvents}, telling who listens
 * after each batch. Walking a folder watches every folder in it. Opened once per start of the root;
 * closing it ends the poller.
 */
public final class TreeWatch implements AutoCloseable {

    /** A file a walk found, with its path relative to the root. */
    @FunctionalInterface
    public interface FileFound {
        void file(String path, FileStat stat);
    }

    private final Path root;
    private final WatchService service;
    private final DirectoryWatches watches;
    private final RawEvents events;
    private final Runnable onEvents;
    private final Consumer<String> onRootGone;
    private final Thread poller;
    private volatile boolean open = true;

    private TreeWatch(String name, Path root, WatchService service, WatchRegistrar registrar, RawEvents events,
                      Runnable onEvents, Consumer<String> onRootGone) {
        this.root = root;
        this.service = service;
        this.watches = new DirectoryWatches(root, service, registrar);
        this.events = events;
        this.onEvents = onEvents;
        this.onRootGone = onRootGone;
        this.poller = new Thread(this::poll, "fswatch-poll-" + name);
        this.poller.setDaemon(true);
    }

    /**
     * Opens a watch service for {@code root} and starts polling it; {@code onEvents} runs after each
     * batch of events, {@code onRootGone} (with the reason) when the root folder itself went away.
     */
    public static TreeWatch open(String name, Path root, WatchRegistrar registrar, RawEvents events,
                                 Runnable onEvents, Consumer<String> onRootGone) throws IOException {
        WatchService service;
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw WatchLimitException.explain(e, root.toString());
        }
        TreeWatch tree = new TreeWatch(name, root, service, registrar, events, onEvents, onRootGone);
        tree.poller.start();
        return tree;
    }

    /**
     * Walks {@code folder} (relative to the root), watching every folder in it that {@code rules} do not
     * leave out, and hands each file that counts to {@code found}.
     */
    public void walk(String folder, PathRules rules, FileFound found) throws IOException {
        Path start = folder.isEmpty() ? root : root.resolve(folder);
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
                    found.file(path, stat);
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

    /** Files a parallel scan found, one folder's worth (or part of a large folder) at a time. */
    public interface ScanSink {

        /** On a scan thread: whether {@code path}, a file to hash (not a log), with this stat, must be hashed now. */
        boolean wantsHash(String path, FileStat stat);

        /** On a scan thread: files found, each with its hash if {@link #wantsHash} asked for it (else null). */
        void found(List<Found> files);

        /** On a scan thread, once every folder was walked: {@code failure} is the watch limit met, or null. */
        void done(WatchLimitException failure);
    }

    /** A file a scan found, its path relative to the root, what it is, its stat and, if asked for, its hash. */
    public record Found(String path, PathRules.Kind kind, FileStat stat, HashPool.Result hash) {
    }

    private static final int SCAN_BATCH = 256;

    /**
     * Scans {@code folder} (relative to the root) in parallel on {@code pool}'s threads, one task per folder:
     * each folder is watched, then listed (its subfolders handed to other tasks), and its files are
     * stat'ed and, where {@code sink} asks, hashed on the same thread. Returns at once; {@code sink} hears
     * of each batch of files and, last, that the scan is done.
     */
    public void scan(String folder, PathRules rules, HashPool pool, ScanSink sink) {
        Scan scan = new Scan(rules, pool, sink);
        scan.pending.incrementAndGet();
        pool.execute(() -> scan.folder(folder));
    }

    private final class Scan {

        private final PathRules rules;
        private final HashPool pool;
        private final ScanSink sink;
        private final AtomicInteger pending = new AtomicInteger();
        private final AtomicReference<WatchLimitException> failure = new AtomicReference<>();

        Scan(PathRules rules, HashPool pool, ScanSink sink) {
            this.rules = rules;
            this.pool = pool;
            this.sink = sink;
        }

        void folder(String folder) {
            try {
                if (open && failure.get() == null) {
                    walkOne(folder);
                }
            } catch (WatchLimitException e) {
                failure.compareAndSet(null, e);
            } catch (IOException | RuntimeException e) {
                // the folder vanished or cannot be read while scanned: its files count as gone
            } finally {
                if (pending.decrementAndGet() == 0) {
                    sink.done(failure.get());
                }
            }
        }

        private void walkOne(String folder) throws IOException {
            Path dir = folder.isEmpty() ? root : root.resolve(folder);
            watches.register(folder);
            List<Path> files = new ArrayList<>();
            List<FileStat> stats = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            List<PathRules.Kind> kinds = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path child : entries) {
                    String name = child.getFileName().toString();
                    String path = folder.isEmpty() ? name : folder + "/" + name;
                    BasicFileAttributes attributes;
                    try {
                        attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException e) {
                        continue;
                    }
                    if (attributes.isDirectory()) {
                        if (!rules.ignoresDirectory(path)) {
                            pending.incrementAndGet();
                            pool.execute(() -> folder(path));
                        }
                        continue;
                    }
                    FileStat stat = FileStat.of(attributes);
                    PathRules.Kind kind = stat == null ? PathRules.Kind.IGNORED : rules.classifyInWalk(path);
                    if (kind != PathRules.Kind.IGNORED) {
                        files.add(child);
                        stats.add(stat);
                        paths.add(path);
                        kinds.add(kind);
                    }
                }
            }
            List<Found> batch = new ArrayList<>(Math.min(SCAN_BATCH, files.size()));
            for (int i = 0; i < files.size(); i++) {
                FileStat stat = stats.get(i);
                String path = paths.get(i);
                PathRules.Kind kind = kinds.get(i);
                HashPool.Result hash = kind == PathRules.Kind.FILE && sink.wantsHash(path, stat)
                        ? pool.hashNow(files.get(i), stat) : null;
                batch.add(new Found(path, kind, stat, hash));
                if (batch.size() == SCAN_BATCH) {
                    sink.found(batch);
                    batch = new ArrayList<>(SCAN_BATCH);
                }
            }
            if (!batch.isEmpty()) {
                sink.found(batch);
            }
        }
    }

    /** Stops watching {@code folder} and everything below it (it was deleted or moved away). */
    public void cancelUnder(String folder) {
        watches.cancelUnder(folder);
    }

    /** Folders under watch. */
    public int folders() {
        return watches.count();
    }

    /** Closes the watch service, which ends the poller. */
    @Override
    public void close() {
        open = false;
        try {
            service.close();
        } catch (IOException ignored) {
            // closing; nothing to save
        }
    }

    /** Waits up to {@code millis} for the poller to end. */
    public void join(long millis) throws InterruptedException {
        poller.join(millis);
    }

    private void poll() {
        while (open) {
            WatchKey key;
            try {
                key = service.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            String folder = watches.folderOf(key);
            queueEvents(key, folder);
            if (!key.reset()) {
                watches.forget(key);
                if ("".equals(folder) && open) {
                    onRootGone.accept("the root folder " + root + " was deleted or moved away; create it again and PUT "
                            + "the root to watch it again");
                    return;
                }
            }
            onEvents.run();
        }
    }

    private void queueEvents(WatchKey key, String folder) {
        for (WatchEvent<?> event : key.pollEvents()) {
            if (folder == null) {
                continue;
            }
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                events.overflow(folder);
                continue;
            }
            String name = event.context().toString();
            String path = folder.isEmpty() ? name : folder + "/" + name;
            events.offer(new RawEvent(path, kindOf(event)), folder);
        }
    }

    private static RawEvent.Kind kindOf(WatchEvent<?> event) {
        if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
            return RawEvent.Kind.CREATE;
        }
        return event.kind() == StandardWatchEventKinds.ENTRY_DELETE ? RawEvent.Kind.DELETE : RawEvent.Kind.MODIFY;
    }

    private String relative(Path path) {
        String relative = root.relativize(path).toString();
        return path.getFileSystem().getSeparator().equals("/") ? relative : relative.replace('\\', '/');
    }
}
