package orrery.deps.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The builds kept in memory: the recent ones by id (oldest first), those waiting their turn, and
 * the one running. One build runs at a time. Used under {@link BuildState}'s lock.
 */
final class Builds {

    private final int keep;
    private final Map<String, BuildRecord> recent = new LinkedHashMap<>();
    private final Deque<BuildRecord> queued = new ArrayDeque<>();
    private BuildRecord running;

    Builds(int keep) {
        this.keep = keep;
    }

    /** Remembers a new build, and forgets the oldest ended ones beyond the {@code recent-builds} kept. */
    void add(BuildRecord record) {
        recent.put(record.id, record);
        while (recent.size() > keep) {
            BuildRecord oldest = recent.values().iterator().next();
            if (oldest == running || !oldest.isOver()) {
                break;
            }
            recent.remove(oldest.id);
        }
    }

    Optional<BuildRecord> find(String id) {
        return Optional.ofNullable(recent.get(id));
    }

    List<BuildRecord> newestFirst() {
        List<BuildRecord> builds = new ArrayList<>(recent.values());
        Collections.reverse(builds);
        return builds;
    }

    /** The running build, or null. */
    BuildRecord running() {
        return running;
    }

    /** The running build, if {@code taskId} is one of its tasks out. */
    Optional<BuildRecord> runningWithTask(String taskId) {
        return running != null && running.run.tasksOut().contains(taskId) ? Optional.of(running) : Optional.empty();
    }

    void started(BuildRecord record) {
        running = record;
    }

    void ended() {
        running = null;
    }

    void enqueue(BuildRecord record) {
        queued.add(record);
    }

    /** The build that waited longest, or null. */
    BuildRecord next() {
        return queued.poll();
    }
}
