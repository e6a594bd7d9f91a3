package orrery.fswatch.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The known files of one root in memory, sorted by path for paged listings, with a lookup by
 * inode for recognising moves and the revisions of deleted paths (tombstones) for event ids.
 *
 * <p>Paths live in a concurrent skip list (Pugh, "Skip lists: a probabilistic alternative to
 * balanced trees", CACM 1990): O(log n) lookups and updates, a page or the paths under a folder in
 * O(log n + k) for k results; inodes and tombstones in hash maps, O(1).
 *
 * <p>One thread (the root's worker) writes; listings may read from any thread.
 */
public final class FileIndex {

    private final ConcurrentSkipListMap<String, IndexEntry> byPath = new ConcurrentSkipListMap<>();
    private final Map<Long, String> pathByInode = new HashMap<>();
    private final Map<String, Long> tombstones = new HashMap<>();

    public IndexEntry get(String path) {
        return byPath.get(path);
    }

    public void put(IndexEntry entry) {
        IndexEntry old = byPath.put(entry.path(), entry);
        if (old != null && old.inode() != entry.inode()) {
            pathByInode.remove(old.inode(), old.path());
        }
        if (entry.inode() != 0) {
            pathByInode.put(entry.inode(), entry.path());
        }
        tombstones.remove(entry.path());
    }

    /** Forgets {@code path}, remembering the revision of its tombstone in the store. */
    public void remove(String path, long tombstoneRevision) {
        IndexEntry old = byPath.remove(path);
        if (old != null) {
            pathByInode.remove(old.inode(), old.path());
        }
        tombstones.put(path, tombstoneRevision);
    }

    /** The store revision the next write of {@code path} must expect: its entry's, its tombstone's, or 0. */
    public long revisionOf(String path) {
        IndexEntry entry = byPath.get(path);
        if (entry != null) {
            return entry.revision();
        }
        return tombstones.getOrDefault(path, 0L);
    }

    /** The indexed path holding this inode, if any. */
    public String pathOfInode(long inode) {
        return inode == 0 ? null : pathByInode.get(inode);
    }

    /** Paths at or below {@code folder} ("" for the whole root). */
    public List<String> pathsUnder(String folder) {
        if (folder.isEmpty()) {
            return new ArrayList<>(byPath.keySet());
        }
        List<String> paths = new ArrayList<>();
        if (byPath.containsKey(folder)) {
            paths.add(folder);
        }
        String prefix = folder + "/";
        paths.addAll(byPath.subMap(prefix, true, prefix + Character.MAX_VALUE, true).keySet());
        return paths;
    }

    /** Up to {@code limit} entries whose path starts with {@code prefix}, after {@code after} (exclusive) if given. */
    public List<IndexEntry> page(String prefix, String after, int limit) {
        NavigableMap<String, IndexEntry> range = byPath.tailMap(prefix, true);
        if (after != null && after.compareTo(prefix) >= 0) {
            range = byPath.tailMap(after, false);
        }
        List<IndexEntry> page = new ArrayList<>(Math.min(limit, 1024));
        for (IndexEntry entry : range.values()) {
            if (!entry.path().startsWith(prefix) || page.size() == limit) {
                break;
            }
            page.add(entry);
        }
        return page;
    }

    public int size() {
        return byPath.size();
    }

    /** Loads a stored tombstone (a path deleted earlier) without touching live entries. */
    public void tombstone(String path, long revision) {
        if (!byPath.containsKey(path)) {
            tombstones.put(path, revision);
        }
    }
}
