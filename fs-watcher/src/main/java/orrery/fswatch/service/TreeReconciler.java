package orrery.fswatch.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import orrery.fswatch.backend.HashPool;
import java.util.concurrent.atomic.AtomicLong;
import orrery.fswatch.backend.RawEvent;
import orrery.fswatch.backend.RawEvents;
import orrery.fswatch.backend.TreeWatch;
import orrery.fswatch.domain.FileIndex;
import orrery.fswatch.domain.FileStat;
import orrery.fswatch.domain.PathRules;
import orrery.fswatch.domain.RootSpec;
import orrery.fswatch.domain.WatchLimitException;
import org.jboss.logging.Logger;

/**
 * Brings a root's raw events and its folders to the {@link ChangeDecider}: each raw event touches
 * its path (a new folder is walked, a deleted one takes its indexed files along), and a walk of a
 * folder compares what is there with the index, so files that appeared or vanished unseen (start-up,
 * an asked rescan, an overflow) are decided too. Used from the root's worker thread only.
 */
final class TreeReconciler {

    private static final Logger LOG = Logger.getLogger(TreeReconciler.class);

    private final String root;
    private final Path rootPath;
    private final PathRules rules;
    private final FileIndex index;
    private final RawEvents events;
    private final ChangeDecider decider;
    private final HashPool hashes;
    private final RootWorker worker;
    private final AtomicLong rescans = new AtomicLong();

    TreeReconciler(RootSpec spec, FileIndex index, RawEvents events, ChangeDecider decider, HashPool hashes,
                   RootWorker worker) {
        this.hashes = hashes;
        this.worker = worker;
        this.root = spec.name();
        this.rootPath = spec.path();
        this.rules = spec.rules();
        this.index = index;
        this.events = events;
        this.decider = decider;
    }

    /** Rescans done (asked for, or after overflows). */
    long rescans() {
        return rescans.get();
    }

    /**
     * Start-up: compares the whole tree with the stored index and decides at once. The tree is scanned in
     * parallel on the hash pool's threads (files not indexed with their current stat are hashed there
     * too); what is found is decided on the worker, and once every folder was walked, indexed files not
     * found are decided as gone and {@code walked} runs on the worker. {@code failed} gets the watch
     * limit's explanation if the kernel refused a watch.
     */
    void scan(TreeWatch tree, Runnable walked, Consumer<String> failed) {
        Set<String> seen = new HashSet<>();
        tree.scan("", rules, hashes, new TreeWatch.ScanSink() {
            @Override
            public boolean wantsHash(String path, FileStat stat) {
                return decider.wantsHash(path, stat);
            }

            @Override
            public void found(List<TreeWatch.Found> files) {
                worker.run(() -> {
                    for (TreeWatch.Found file : files) {
                        seen.add(file.path());
                        decider.settleScanned(file.path(), file.kind(), file.stat(), file.hash());
                    }
                });
            }

            @Override
            public void done(WatchLimitException failure) {
                worker.run(() -> {
                    if (failure != null) {
                        failed.accept(failure.getMessage());
                        return;
                    }
                    decider.settleInFlight();
                    for (String known : index.pathsUnder("")) {
                        if (!seen.contains(known)) {
                            decider.settle(known);
                        }
                    }
                    walked.run();
                });
            }
        });
    }

    /** An asked rescan: the same comparison again. */
    void rescanAll(TreeWatch tree, Consumer<String> failed) {
        rescans.incrementAndGet();
        scan(tree, () -> { }, failed);
    }

    /** Handles the queued raw events, then rescans the folders whose events were lost. */
    void drain(TreeWatch tree) throws WatchLimitException {
        RawEvent event;
        while ((event = events.poll()) != null) {
            handle(tree, event);
        }
        for (String folder : events.rescansDue()) {
            events.rescanning(folder);
            rescans.incrementAndGet();
            reconcile(tree, folder, false);
        }
    }

    private void handle(TreeWatch tree, RawEvent event) throws WatchLimitException {
        String path = event.path();
        if (event.kind() == RawEvent.Kind.DELETE) {
            decider.settleInFlight();
        }
        switch (event.kind()) {
            case CREATE -> created(tree, path);
            case MODIFY -> decider.touch(path);
            case DELETE -> {
                tree.cancelUnder(path);
                decider.touch(path);
                index.pathsUnder(path).forEach(decider::touch);
            }
        }
    }

    private void created(TreeWatch tree, String path) throws WatchLimitException {
        BasicFileAttributes attributes = attributesOf(path);
        if (attributes != null && attributes.isDirectory()) {
            if (!rules.ignoresDirectory(path)) {
                reconcile(tree, path, false);
            }
            return;
        }
        decider.arrived(path, attributes == null ? null : FileStat.of(attributes));
        decider.touch(path);
    }

    /**
     * Walks {@code folder}, watching every folder in it, and compares its files with the index.
     * {@code now}: decide at once (start-up, asked rescans); otherwise through the debouncers
     * (new folders, overflows), since something is still changing there.
     */
    private void reconcile(TreeWatch tree, String folder, boolean now) throws WatchLimitException {
        decider.settleInFlight();
        Set<String> seen = new HashSet<>();
        try {
            tree.walk(folder, rules, (path, stat) -> {
                seen.add(path);
                found(path, stat, now);
            });
        } catch (WatchLimitException e) {
            throw e;
        } catch (IOException e) {
            LOG.debugf("folder %s of root %s vanished while scanned: %s", folder, root, e.toString());
        }
        for (String known : index.pathsUnder(folder)) {
            if (!seen.contains(known)) {
                vanished(known, now);
            }
        }
    }

    private void found(String path, FileStat stat, boolean now) {
        if (now) {
            decider.settleNow(path, stat);
        } else {
            decider.arrived(path, stat);
            decider.touch(path);
        }
    }

    private void vanished(String path, boolean now) {
        if (now) {
            decider.settle(path);
        } else {
            decider.touch(path);
        }
    }

    private BasicFileAttributes attributesOf(String path) {
        try {
            return Files.readAttributes(rootPath.resolve(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }
}
