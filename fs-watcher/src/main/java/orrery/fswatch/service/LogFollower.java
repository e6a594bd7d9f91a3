package orrery.fswatch.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import orrery.fswatch.config.WatcherSettings;
import orrery.fswatch.domain.FileIndex;
import orrery.fswatch.domain.FileStat;
import orrery.fswatch.domain.IndexEntry;
import orrery.fswatch.domain.LogChunk;
import orrery.model.fs.FsEvent;

/**
 * Follows a root's log files like {@code tail -F}: each flush publishes the complete lines added
 * since the last one (one capped APPENDED event), restarts at offset 0 when the file was
 * truncated, and when it was rotated (a new file under the same name) first drains what the old
 * file still held through the descriptor kept open on it. Used only from the root's worker.
 */
final class LogFollower implements AutoCloseable {

    /** What the caller does next with a log path. */
    enum Next {
        DONE,
        MORE,
        RETRY
    }

    private final String root;
    private final Path rootPath;
    private final FileIndex index;
    private final ChangeRecorder recorder;
    private final int maxLines;
    private final ByteBuffer buffer;
    private final Map<String, Cursor> cursors = new HashMap<>();

    LogFollower(String root, Path rootPath, FileIndex index, ChangeRecorder recorder, WatcherSettings settings) {
        this.root = root;
        this.rootPath = rootPath;
        this.index = index;
        this.recorder = recorder;
        this.maxLines = settings.logMaxLines();
        this.buffer = ByteBuffer.allocate(settings.logMaxBytes());
    }

    /** Publishes what {@code path} gained since the last flush. */
    Next flush(String path) {
        FileStat stat = FileStat.read(rootPath.resolve(path));
        Cursor cursor = cursors.get(path);
        if (cursor != null && (stat == null || stat.inode() != cursor.inode)) {
            Next drained = drain(path, cursor, stat);
            if (drained != Next.DONE) {
                return drained;
            }
        }
        IndexEntry known = index.get(path);
        if (stat == null) {
            return known == null || recorder.publish(FsEvent.deleted(root, path, null)) ? forget(path, known)
                    : Next.RETRY;
        }
        cursor = cursors.get(path);
        if (cursor == null) {
            cursor = open(path, stat, known);
            if (cursor == null) {
                return Next.DONE;
            }
        }
        if (stat.size() < cursor.offset) {
            cursor.offset = 0;
            cursor.restarted = true;
        }
        return publishFrom(path, cursor, stat, false);
    }

    /**
     * A cursor on {@code path}: where the index says publishing stopped when it is the same file and not
     * shorter, else from the start (a restart when something was published before); null if unreadable.
     */
    private Cursor open(String path, FileStat stat, IndexEntry known) {
        long resumeAt = known != null && known.isLog() && known.inode() == stat.inode() && known.size() <= stat.size()
                ? known.size() : 0;
        Cursor cursor;
        try {
            cursor = new Cursor(FileChannel.open(rootPath.resolve(path), StandardOpenOption.READ), stat.inode(), resumeAt);
        } catch (IOException e) {
            return null;
        }
        cursors.put(path, cursor);
        if (known != null && resumeAt == 0 && known.size() > 0) {
            cursor.restarted = true;
        }
        return cursor;
    }

    private Next publishFrom(String path, Cursor cursor, FileStat stat, boolean finished) {
        buffer.clear();
        try {
            cursor.channel.read(buffer, cursor.offset);
        } catch (IOException e) {
            return Next.DONE;
        }
        buffer.flip();
        LogChunk chunk = LogChunk.of(buffer, finished, maxLines);
        if (chunk.consumed() == 0 && !cursor.restarted && index.get(path) != null) {
            return Next.DONE;
        }
        long start = cursor.offset;
        long end = start + chunk.consumed();
        long size = stat == null ? end : stat.size();
        Instant mtime = stat == null ? null : stat.mtime();
        if (!recorder.publish(FsEvent.appended(root, path, size, mtime, start, end, chunk.lines()))) {
            return Next.RETRY;
        }
        cursor.offset = end;
        cursor.restarted = false;
        if (stat != null) {
            recorder.save(IndexEntry.log(path, end, stat, 0));
        }
        return chunk.consumed() > 0 && end < size ? Next.MORE : Next.DONE;
    }

    // The old file was renamed or deleted: publish what it still held, then let go of it.
    private Next drain(String path, Cursor cursor, FileStat replacement) {
        long oldSize;
        try {
            oldSize = cursor.channel.size();
        } catch (IOException e) {
            oldSize = cursor.offset;
        }
        while (cursor.offset < oldSize) {
            long before = cursor.offset;
            Next next = publishFrom(path, cursor, null, true);
            if (next == Next.RETRY) {
                return Next.RETRY;
            }
            if (cursor.offset == before) {
                break;
            }
        }
        close(path);
        if (replacement != null) {
            index.put(IndexEntry.log(path, 0, replacement, index.revisionOf(path)));
        }
        return Next.DONE;
    }

    private Next forget(String path, IndexEntry known) {
        close(path);
        if (known != null) {
            recorder.forget(path);
        }
        return Next.DONE;
    }

    private void close(String path) {
        Cursor cursor = cursors.remove(path);
        if (cursor != null) {
            try {
                cursor.channel.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
        }
    }

    @Override
    public void close() {
        for (String path : List.copyOf(cursors.keySet())) {
            close(path);
        }
    }

    private static final class Cursor {
        private final FileChannel channel;
        private final long inode;
        private long offset;
        private boolean restarted;

        Cursor(FileChannel channel, long inode, long offset) {
            this.channel = channel;
            this.inode = inode;
            this.offset = offset;
        }
    }
}
