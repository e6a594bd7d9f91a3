package orrery.fswatch.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What the index knows of one file: its stat when last looked at, and the hash last published.
 *
 * <p>A log file has no hash; its {@code size} is the offset up to which its lines were published.
 * {@code revision} is the index store's revision of this entry (0 before it was first stored),
 * which makes event ids unique per change yet equal when the same change is published again
 * after a crash.
 */
public record IndexEntry(String path, long size, long mtimeNanos, long inode, String sha256, long revision) {

    public IndexEntry {
        Objects.requireNonNull(path, "path");
    }

    public static IndexEntry file(String path, FileStat stat, String sha256, long revision) {
        return new IndexEntry(path, stat.size(), stat.mtimeNanos(), stat.inode(), Objects.requireNonNull(sha256),
                revision);
    }

    public static IndexEntry log(String path, long publishedUpTo, FileStat stat, long revision) {
        return new IndexEntry(path, publishedUpTo, stat.mtimeNanos(), stat.inode(), null, revision);
    }

    public boolean isLog() {
        return sha256 == null;
    }

    /** True if the file was not rewritten since this entry was made (so its hash still holds). */
    public boolean sameStat(FileStat stat) {
        return !isLog() && size == stat.size() && mtimeNanos == stat.mtimeNanos() && inode == stat.inode();
    }

    public FileStat stat() {
        return new FileStat(size, mtimeNanos, inode);
    }

    public Instant mtime() {
        return stat().mtime();
    }

    public IndexEntry withRevision(long newRevision) {
        return new IndexEntry(path, size, mtimeNanos, inode, sha256, newRevision);
    }
}
