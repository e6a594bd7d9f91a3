package orrery.fswatch.backend;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
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
