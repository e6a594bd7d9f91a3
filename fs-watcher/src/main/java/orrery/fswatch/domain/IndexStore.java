package orrery.fswatch.domain;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Where a root's index outlives the watcher, so a restarted or second watcher knows what was
 * published. Writes are compare-and-set on the entry's revision, so two watchers of one root
 * never overwrite each other's newer knowledge.
 */
public interface IndexStore {

    /**
     * Sends every stored entry to {@code entries} and, for deleted paths, {@code tombstones} (path,
     * revision); returns the index's generation, a random id fixed when the index was first made,
     * so revisions of a purged and re-created index never repeat the ids of the old one.
     */
    String load(Consumer<IndexEntry> entries, BiConsumer<String, Long> tombstones);

    /**
     * Stores {@code entry} if the stored revision of its path is still {@code expectedRevision}.
     * Writes sent one after the other may be in flight together.
     *
     * @return the new revision, or -1 when someone else wrote the path first
     */
    CompletableFuture<Long> write(IndexEntry entry, long expectedRevision);

    /** Marks {@code path} deleted (compare-and-set as {@link #write}); the tombstone's revision or -1. */
    CompletableFuture<Long> delete(String path, long expectedRevision);

    /**
     * What the store holds for {@code path} now, to catch up after a lost compare-and-set: its entry
     * (with revision), or null with the revision of its tombstone (0 if it was never stored).
     */
    Stored read(String path);

    /** An entry as stored, or a deleted path ({@code entry == null}) and its tombstone's revision. */
    record Stored(IndexEntry entry, long revision) {
    }
}
