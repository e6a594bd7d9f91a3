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
 * <p>Entries live in a concurrent skip list (Pugh, "Skip lists: a probabilistic alternative to
 * balanced trees", CACM 1990), each entry its own key (ordered by its UTF-8 path, so no String is
 * kept per file): O(log n) lookups and updates, a page or the paths under a folder in O(log n + k)
 * for k results; inodes in an open-addressing table of primitive longs ({@link InodeTable}) and
 * tombstones in a hash map, O(1).
 *
 * <p>One thread (the root's worker) writes; listings and scan threads may read from any thread.
 */
public final class FileIndex {

    private final ConcurrentSkipListMap<IndexEntry, IndexEntry> byPath =
            new ConcurrentSkipListMap<>(IndexEntry::comparePaths);
    private final InodeTable byInode = new InodeTable();
    private final Map<String, Long> tombstones = new HashMap<>();

    public IndexEntry get(String path) {
        return byPath.get(IndexEntry.probe(path));
    }

    public void put(IndexEntry entry) {
        // The map keeps the first key of a path; put the new entry in as its own key, so the old one is let go.
        IndexEntry old = byPath.remove(entry);
        byPath.put(entry, entry);
        if (old != null && old.inode() != entry.inode()) {
            byInode.remove(old.inode(), old);
        }
        if (entry.inode() != 0) {
            byInode.put(entry.inode(), entry);
        }
        if (!tombstones.isEmpty()) {
            tombstones.remove(entry.path());
        }
    }

    /** Forgets {@code path}, remembering the revision of its tombstone in the store. */
    public void remove(String path, long tombstoneRevision) {
        IndexEntry old = byPath.remove(IndexEntry.probe(path));
        if (old != null) {
            byInode.remove(old.inode(), old);
        }
        tombstones.put(path, tombstoneRevision);
    }

    /** The store revision the next write of {@code path} must expect: its entry's, its tombstone's, or 0. */
    public long revisionOf(String path) {
        IndexEntry entry = get(path);
        if (entry != null) {
            return entry.revision();
        }
        return tombstones.isEmpty() ? 0L : tombstones.getOrDefault(path, 0L);
    }

    /** The indexed path holding this inode, if any. */
    public String pathOfInode(long inode) {
        if (inode == 0) {
            return null;
        }
        IndexEntry entry = byInode.get(inode);
        return entry == null ? null : entry.path();
    }

    /** Paths at or below {@code folder} ("" for the whole root). */
    public List<String> pathsUnder(String folder) {
        List<String> paths = new ArrayList<>();
        if (folder.isEmpty()) {
            for (IndexEntry entry : byPath.keySet()) {
                paths.add(entry.path());
            }
            return paths;
        }
        if (get(folder) != null) {
            paths.add(folder);
        }
        IndexEntry prefix = IndexEntry.probe(folder + "/");
        for (IndexEntry entry : byPath.tailMap(prefix, true).keySet()) {
            if (!entry.pathStartsWith(prefix)) {
                break;
            }
            paths.add(entry.path());
        }
        return paths;
    }

    /** Up to {@code limit} entries whose path starts with {@code prefix}, after {@code after} (exclusive) if given. */
    public List<IndexEntry> page(String prefix, String after, int limit) {
        IndexEntry start = IndexEntry.probe(prefix);
        NavigableMap<IndexEntry, IndexEntry> range = byPath.tailMap(start, true);
        if (after != null) {
            IndexEntry from = IndexEntry.probe(after);
            if (IndexEntry.comparePaths(from, start) >= 0) {
                range = byPath.tailMap(from, false);
            }
        }
        List<IndexEntry> page = new ArrayList<>(Math.min(limit, 1024));
        for (IndexEntry entry : range.values()) {
            if (!entry.pathStartsWith(start) || page.size() == limit) {
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
        if (get(path) == null) {
            tombstones.put(path, revision);
        }
    }

    /**
     * Entries by inode: linear probing over parallel arrays of primitive keys (about 24 bytes a file
     * at most half full, where a HashMap of boxed Longs takes about 56), deletion by shifting back.
     */
    static final class InodeTable {

        private long[] keys = new long[16];
        private IndexEntry[] values = new IndexEntry[16];
        private int size;

        IndexEntry get(long inode) {
            int mask = keys.length - 1;
            for (int i = slot(inode, mask); keys[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == inode) {
                    return values[i];
                }
            }
            return null;
        }

        void put(long inode, IndexEntry entry) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(inode, mask);
            while (keys[i] != 0 && keys[i] != inode) {
                i = (i + 1) & mask;
            }
            if (keys[i] == 0) {
                size++;
            }
            keys[i] = inode;
            values[i] = entry;
        }

        /** Removes {@code inode} if it still maps to an entry of {@code entry}'s path. */
        void remove(long inode, IndexEntry entry) {
            if (inode == 0) {
                return;
            }
            int mask = keys.length - 1;
            int i = slot(inode, mask);
            while (keys[i] != inode) {
                if (keys[i] == 0) {
                    return;
                }
                i = (i + 1) & mask;
            }
            if (IndexEntry.comparePaths(values[i], entry) != 0) {
                return;
            }
            // Shift later members of the cluster back into the hole, so lookups never stop early.
            int hole = i;
            for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
                int home = slot(keys[j], mask);
                if (((j - home) & mask) >= ((j - hole) & mask)) {
                    keys[hole] = keys[j];
                    values[hole] = values[j];
                    hole = j;
                }
            }
            keys[hole] = 0;
            values[hole] = null;
            size--;
        }

        private void grow() {
            long[] oldKeys = keys;
            IndexEntry[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new IndexEntry[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int slot(long inode, int mask) {
            long mixed = inode * 0x9E3779B97F4A7C15L;
            return (int) (mixed ^ (mixed >>> 32)) & mask;
        }
    }
}
