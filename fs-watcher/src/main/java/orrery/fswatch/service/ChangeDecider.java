package orrery.fswatch.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import orrery.fswatch.backend.HashPool;
import orrery.fswatch.config.WatcherSettings;
import orrery.fswatch.domain.Debouncer;
import orrery.fswatch.domain.FileIndex;
import orrery.fswatch.domain.FileStat;
import orrery.fswatch.domain.IndexEntry;
import orrery.fswatch.domain.PathRules;
import orrery.fswatch.domain.RootSpec;
import orrery.model.fs.FsEvent;
import orrery.model.time.TimeSource;
import orrery.model.util.BoundedMaps;

/**
 * Decides what a root's settled paths' changes are. Touched paths wait in a {@link Debouncer}
 * (the root's quiet period and maximum latency; log files the log interval); a settled file is
 * compared with the index by size, mtime and inode, hashed on the shared {@link HashPool} when that
 * differs, and queued as CREATED, MODIFIED or a quiet index update; a vanished one as DELETED. A
 * disappearance and an arrival with the same inode, size and mtime are one MOVED, without hashing
 * again. Log files go to the {@link LogFollower}. Used from the root's worker thread only.
 */
final class ChangeDecider {

    private static final int MAX_ARRIVALS = 100_000;

    private final String root;
    private final Path rootPath;
    private final PathRules rules;
    private final FileIndex index;
    private final ChangeRecorder recorder;
    private final LogFollower logs;
    private final HashPool hashes;
    private final RootWorker worker;
    private final TimeSource time;
    private final Duration retryDelay;
    private final Runnable hashesDone;
    private final Debouncer<String> fileDebouncer;
    private final Debouncer<String> logDebouncer;
    // Files that appeared recently, by inode, to pair a disappearance with its new name.
    private final Map<Long, String> arrivals = BoundedMaps.oldestFirst(MAX_ARRIVALS);
    private final Set<String> hashing = new HashSet<>();
    private final Set<String> hashAgain = new HashSet<>();

    /** {@code hashesDone} runs each time the last hash under way was decided. */
    ChangeDecider(RootSpec spec, TimeSource time, FileIndex index, ChangeRecorder recorder, HashPool hashes,
                  RootWorker worker, WatcherSettings settings, Runnable hashesDone) {
        this.root = spec.name();
        this.rootPath = spec.path();
        this.rules = spec.rules();
        this.index = index;
        this.recorder = recorder;
        this.logs = new LogFollower(spec.name(), rootPath, index, recorder, settings);
        this.hashes = hashes;
        this.worker = worker;
        this.time = time;
        this.retryDelay = settings.retryDelay();
        this.hashesDone = hashesDone;
        this.fileDebouncer = new Debouncer<>(time, spec.quietPeriod(), spec.maxLatency(), this::settled);
        this.logDebouncer = new Debouncer<>(time, settings.logInterval(), settings.logInterval(), this::settled);
    }

    /** Files waiting to settle. */
    int pending() {
        return fileDebouncer.pendingCount() + logDebouncer.pendingCount();
    }

    /** Whether no hash is under way. */
    boolean idle() {
        return hashing.isEmpty();
    }

    /** A file appeared at {@code path}: remembered by inode, in case it is the new name of one that went away. */
    void arrived(String path, FileStat stat) {
        if (stat != null && stat.inode() != 0 && rules.classify(path) == PathRules.Kind.FILE) {
            arrivals.put(stat.inode(), path);
        }
    }

    /** Something happened at {@code path}: decide once it has settled. */
    void touch(String path) {
        if (!worker.isRunning()) {
            return;
        }
        PathRules.Kind kind = rules.classify(path);
        if (kind == PathRules.Kind.LOG) {
            logDebouncer.touch(path);
        } else if (kind == PathRules.Kind.FILE || index.get(path) != null) {
            fileDebouncer.touch(path);
        }
    }

    /** Decides {@code path} now, reading its state. */
    void settle(String path) {
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

    /** Decides {@code path} now, as a walk just found it. */
    void settleNow(String path, FileStat stat) {
        settleScanned(path, rules.classify(path), stat, null);
    }

    /**
     * Decides {@code path} now, as a scan found it ({@code kind} as the scan classified it); {@code hash} is its hash if the scan read it already
     * (it was not indexed with this stat), else null.
     */
    void settleScanned(String path, PathRules.Kind kind, FileStat stat, HashPool.Result hash) {
        flushIfQueued(path);
        if (kind == PathRules.Kind.LOG) {
            followLog(path);
        } else {
            present(path, stat, hash);
        }
    }

    /** On a scan thread: whether a file the scan found must be hashed (it is not indexed with this stat). */
    boolean wantsHash(String path, FileStat stat) {
        IndexEntry known = index.get(path);
        return known == null || !known.sameStat(stat);
    }

    /** Looks at {@code path} again after the retry delay (its event or index write failed: NATS away). */
    void retryLater(String path) {
        time.scheduleAfter(retryDelay, () -> worker.run(() -> {
            recorder.flushUnsaved();
            touch(path);
        }));
    }

    /** Lets go of the log files followed. */
    void closeLogs() {
        logs.close();
    }

    // Debouncer timers fire on the time source's thread; the decision belongs to the worker.
    private void settled(String path) {
        worker.run(() -> settle(path));
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
        present(path, stat, null);
    }

    private void present(String path, FileStat stat, HashPool.Result hashed) {
        if (path.equals(arrivals.get(stat.inode()))) {
            arrivals.remove(stat.inode());
        }
        IndexEntry known = index.get(path);
        if (known != null && known.sameStat(stat)) {
            return;
        }
        if ((known == null || known.inode() != stat.inode()) && movedHere(path, stat, known)) {
            return;
        }
        if (hashed != null && !hashing.contains(path)) {
            decide(path, stat, hashed);
        } else {
            hash(path, stat);
        }
    }

    private void hash(String path, FileStat stat) {
        if (!hashing.add(path)) {
            hashAgain.add(path);
            return;
        }
        hashes.submit(rootPath.resolve(path), result -> worker.run(() -> hashed(path, stat, result)));
    }

    // A file with this inode, size and mtime was indexed under another path that no longer holds it: a rename.
    private boolean movedHere(String path, FileStat stat, IndexEntry known) {
        String from = index.pathOfInode(stat.inode());
        if (from == null || from.equals(path)) {
            return false;
        }
        flushIfQueued(from);
        IndexEntry origin = index.get(from);
        if (!sameFile(origin, stat) || stillAt(from, stat)) {
            return false;
        }
        FsEvent event = FsEvent.moved(root, from, path, stat.size(), stat.mtime(), origin.sha256(),
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

    private static boolean sameFile(IndexEntry origin, FileStat stat) {
        return origin != null && !origin.isLog() && origin.size() == stat.size() && origin.mtimeNanos() == stat.mtimeNanos();
    }

    private boolean stillAt(String from, FileStat stat) {
        FileStat atOrigin = FileStat.read(rootPath.resolve(from));
        return atOrigin != null && atOrigin.inode() == stat.inode();
    }

    private void hashed(String path, FileStat before, HashPool.Result result) {
        hashing.remove(path);
        flushIfQueued(path);
        try {
            decide(path, before, result);
        } finally {
            if (hashing.isEmpty()) {
                hashesDone.run();
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
        recorder.queue(change(path, before, result.sha256()));
        if (again) {
            settle(path);
        }
    }

    /** The hashed file's change: a quiet index update when the content is what was published, else an event. */
    private ChangeRecorder.Change change(String path, FileStat stat, String sha256) {
        IndexEntry known = index.get(path);
        IndexEntry entry = IndexEntry.file(path, stat, sha256, 0);
        if (known != null && known.hasSha256(sha256)) {
            return new ChangeRecorder.Change(null, entry, null);
        }
        FsEvent event = known == null || known.isLog()
                ? FsEvent.created(root, path, stat.size(), stat.mtime(), sha256)
                : FsEvent.modified(root, path, stat.size(), stat.mtime(), sha256, known.sha256());
        return new ChangeRecorder.Change(event, entry, null);
    }

    private void gone(String path) {
        IndexEntry known = index.get(path);
        if (known == null || settledAsMove(path, known)) {
            return;
        }
        recorder.queue(new ChangeRecorder.Change(FsEvent.deleted(root, path, known.sha256()), null, path));
    }

    /**
     * Renamed, and the new name may not have settled yet: settles it now, as a move; true when that took
     * the old path out of the index.
     */
    private boolean settledAsMove(String path, IndexEntry known) {
        String arrived = arrivals.get(known.inode());
        if (arrived == null || arrived.equals(path)) {
            return false;
        }
        FileStat there = FileStat.read(rootPath.resolve(arrived));
        if (there == null || there.inode() != known.inode()) {
            return false;
        }
        fileDebouncer.cancel(arrived);
        settle(arrived);
        return index.get(path) == null;
    }

    private void flushIfQueued(String path) {
        recorder.settle(path);
    }

    /** Waits until every change in flight is in the index (before the index is compared with a folder). */
    void settleInFlight() {
        recorder.flush();
    }
}
