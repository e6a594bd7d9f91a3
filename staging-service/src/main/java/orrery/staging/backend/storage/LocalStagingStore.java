package orrery.staging.backend.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.staging.domain.ChunkPipeline;
import orrery.staging.domain.Digests;
import orrery.staging.domain.StagingRefusals;
import orrery.staging.domain.StoredFile;

/**
 * Session folders on a local disk: {@code <root>/home/{user}/broker/{executionId}/}.
 *
 * <p>A transfer writes {@code .<name>.<taskId>.part} beside its target and publishes it with a
 * hard link, which fails if the name exists, so a finished file appears whole or not at all and
 * is never overwritten. Digests of files already there are computed once (MD5 and SHA-256 on a
 * thread each, {@link ChunkPipeline}) and remembered by (path, size, modification time, inode).
 *
 * <p>An upload writes the transfer's 1 MiB chunks as they are, with direct I/O ({@code O_DIRECT})
 * where the file system allows it: the data goes from the buffer to the disk without being copied
 * into the page cache, which on the machine of the README's figures cost as much CPU as MD5
 * itself, and no gigabyte of dirty pages waits for the commit's {@code fsync}. What is not
 * aligned to the file system's block (the last bytes of a file) is written through the page
 * cache; so is everything where direct I/O is refused (tmpfs, some network file systems), and
 * then every {@code writeback} bytes a background thread {@code fdatasync}s what is there so far,
 * while the writing goes on, so the commit's {@code fsync} only waits for the last stretch.
 */
public final class LocalStagingStore implements StagingStore {

    private static final int BUFFER = 1 << 20;
    /** Default distance between early write-backs. */
    public static final long WRITEBACK = 32L << 20;

    private final Path root;
    private final long writeback;
    private final boolean directWrites;
    private final java.util.concurrent.atomic.AtomicLong directBytes = new java.util.concurrent.atomic.AtomicLong();
    private final ConcurrentMap<String, Cached> digests = new ConcurrentHashMap<>();
    /** Background {@code fdatasync}s and the digest stages; daemon threads that end after a minute idle. */
    private final ExecutorService background = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "staging-store-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final ChunkPipeline hashing = new ChunkPipeline(background, 4, BUFFER);

    public LocalStagingStore(Path root) throws IOException {
        this(root, WRITEBACK, true);
    }

    /**
     * @param writeback    bytes written through the page cache between early write-backs of an upload
     * @param directWrites whether uploads write whole blocks with direct I/O where the file system allows it
     */
    public LocalStagingStore(Path root, long writeback, boolean directWrites) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
        this.writeback = writeback;
        this.directWrites = directWrites;
    }

    public Path root() {
        return root;
    }

    /** Bytes uploads wrote with direct I/O since the store was made. */
    public long directBytes() {
        return directBytes.get();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void ensureFolder(String folder) throws IOException {
        Path target = inside(folder);
        Files.createDirectories(target);
        requireInside(target.toRealPath(), folder);
    }

    @Override
    public Optional<StoredFile> stat(String path) throws IOException {
        Path target = inside(path);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        if (attributes.isSymbolicLink()) {
            throw StagingRefusals.badPath("'" + path + "' is a symbolic link in the session folder; it is not followed");
        }
        if (!attributes.isRegularFile()) {
            throw StagingRefusals.badPath("'" + path + "' exists and is not a regular file");
        }
        requireInside(target.getParent().toRealPath(), path);
        Object inode = attributes.fileKey();
        Cached cached = digests.get(path);
        if (cached != null && cached.matches(attributes.size(), attributes.lastModifiedTime().toMillis(), inode)) {
            return Optional.of(cached.file());
        }
        StoredFile computed = digest(target);
        remember(path, target, computed);
        return Optional.of(computed);
    }

    @Override
    public Upload begin(String path, String taskId, Long expectedSize, String expectedMd5) throws IOException {
        Path target = inside(path);
        Files.createDirectories(target.getParent());
        requireInside(target.getParent().toRealPath(), path);
        return new LocalUpload(path, target, partialOf(target, taskId));
    }

    @Override
    public void discardPartial(String path, String taskId) throws IOException {
        Files.deleteIfExists(partialOf(inside(path), taskId));
    }

    /** Remembers the digests of a file we just wrote, so the next stat does not read it again. */
    void remember(String path, Path target, StoredFile file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        digests.put(path, new Cached(attributes.size(), attributes.lastModifiedTime().toMillis(), attributes.fileKey(), file));
    }

    private static Path partialOf(Path target, String taskId) {
        return target.resolveSibling("." + target.getFileName() + "." + taskId + ".part");
    }

    private Path inside(String relative) {
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw StagingRefusals.badPath("'" + relative + "' leaves the storage root");
        }
        return resolved;
    }

    private void requireInside(Path real, String relative) {
        String[] parts = relative.split("/");
        // home/{user} is the user's own space: nothing may resolve outside it.
        Path userHome = parts.length >= 2 ? root.resolve(parts[0]).resolve(parts[1]) : root;
        if (!real.startsWith(userHome)) {
            throw StagingRefusals.badPath("'" + relative + "' resolves outside the user's folder through a symbolic link");
        }
    }

    private StoredFile digest(Path file) throws IOException {
        Digests digests = new Digests();
        try (InputStream in = Files.newInputStream(file)) {
            hashing.run(in::read, (count, total) -> digests.counted(count),
                    List.of(digests::updateMd5, digests::updateSha256));
        }
        Digests.Result result = digests.finish();
        return new StoredFile(result.size(), result.md5(), result.sha256());
    }

    private record Cached(long size, long mtime, Object inode, StoredFile file) {
        boolean matches(long size, long mtime, Object inode) {
            return this.size == size && this.mtime == mtime && java.util.Objects.equals(this.inode, inode);
        }
    }

    private final class LocalUpload implements Upload {
        private final String path;
        private final Path target;
        private final Path partial;
        private ChannelOutput out;
        private boolean committed;

        LocalUpload(String path, Path target, Path partial) {
            this.path = path;
            this.target = target;
            this.partial = partial;
        }

        @Override
        public long resumableBytes() {
            try {
                return Files.isRegularFile(partial, LinkOption.NOFOLLOW_LINKS) ? Files.size(partial) : 0;
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public InputStream partial() throws IOException {
            return Files.newInputStream(partial);
        }

        @Override
        public OutputStream open(long offset) throws IOException {
            FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            try {
                channel.truncate(offset);
                channel.position(offset);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            out = new ChannelOutput(channel, offset, directWrites ? direct(partial) : null);
            return out;
        }

        @Override
        public void commit(StoredFile verified) throws IOException {
            if (out != null) {
                out.sync(); // the data is on disk before its name is
                out.close();
                out = null;
            }
            try {
                Files.createLink(target, partial);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("'" + path + "' appeared while it was being staged; it was not overwritten", e);
            }
            Files.delete(partial);
            committed = true;
            remember(path, target, verified);
        }

        @Override
        public void abort() {
            closeStream();
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a stray .part file is harmless and is removed by the next attempt of the task
            }
        }

        @Override
        public void close() {
            if (!committed) {
                closeStream();
            }
        }

        private void closeStream() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the data is verified before commit; a close failure shows up there
                }
                out = null;
            }
        }
    }

    /** A second channel on {@code file} writing with direct I/O, and its alignment; null where the file system refuses. */
    private static Direct direct(Path file) {
        try {
            long block = Files.getFileStore(file).getBlockSize();
            if (block <= 0 || block > (1 << 20) || Long.bitCount(block) != 1) {
                return null;
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT,
                    LinkOption.NOFOLLOW_LINKS);
            return new Direct(channel, (int) block);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private record Direct(FileChannel channel, int alignment) {
    }

    /**
     * Aligned native buffers for direct writes, one per upload writing and reused by the next: the
     * JDK's own temporary buffers for heap arrays written with direct I/O are unsafe to mix in its
     * per-thread cache on Java 17 (a NullPointerException freeing an aligned slice).
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> alignedBuffers =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private ByteBuffer alignedBuffer(int alignment) {
        for (ByteBuffer buffer; (buffer = alignedBuffers.poll()) != null; ) {
            if (buffer.alignmentOffset(0, alignment) == 0 && buffer.capacity() % alignment == 0) {
                return buffer.clear();
            }
        }
        return ByteBuffer.allocateDirect(BUFFER + alignment).alignedSlice(alignment).limit(BUFFER).slice();
    }

    /**
     * Writes an upload at its position. With a {@link Direct} channel, the bytes go through one aligned
     * native buffer (the one copy any write of a heap array needs) and whole blocks go to the disk with
     * direct I/O: a 1 MiB chunk at an aligned position is one copy and one write. A start that is not
     * aligned (a resumed upload) is written through the page cache up to the next block; less than a block
     * left over waits in the buffer for the next write, and goes through the page cache at {@link #sync}
     * or {@link #close} (the end of the file, or of an attempt: what was given is in the file then).
     * Direct I/O refused on the way (an alignment the file system wants and we did not guess) falls back to
     * the page cache for the rest. Every {@code writeback} bytes written through the page cache, a
     * background thread {@code fdatasync}s them (one at a time: a write-back still running when the next
     * is due lets that one pass). A write-back's error is kept and thrown by {@link #sync}: an error
     * reported to one {@code fsync} is not reported again.
     */
    private final class ChannelOutput extends OutputStream {
        private final FileChannel channel;
        private Direct direct;
        /** Bytes waiting for direct I/O; they belong at {@link #position}, which is then aligned. */
        private ByteBuffer aligned;
        /** Where the file ends: what went out through either channel. */
        private long position;
        private long sinceWriteback;
        private CompletableFuture<Void> writingBack = CompletableFuture.completedFuture(null);
        private volatile IOException writebackFailure;

        ChannelOutput(FileChannel channel, long position, Direct direct) {
            this.channel = channel;
            this.position = position;
            this.direct = direct;
            if (direct != null) {
                aligned = alignedBuffer(direct.alignment());
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            if (direct == null) {
                writeThroughCache(ByteBuffer.wrap(buffer, offset, length));
                return;
            }
            int done = 0;
            int alignment = direct.alignment();
            if (aligned.position() == 0 && position % alignment != 0) { // up to the next block through the page cache
                done = (int) Math.min(length, alignment - position % alignment);
                writeThroughCache(ByteBuffer.wrap(buffer, offset, done));
            }
            while (done < length && direct != null) {
                int piece = Math.min(length - done, aligned.remaining());
                aligned.put(buffer, offset + done, piece);
                done += piece;
                if (!aligned.hasRemaining()) {
                    writeWholeBlocks();
                }
            }
            if (direct != null) {
                writeWholeBlocks();
            }
            if (done < length) { // direct I/O was refused on the way
                writeThroughCache(ByteBuffer.wrap(buffer, offset + done, length - done));
            }
        }

        /** Writes the whole blocks waiting with direct I/O and keeps the rest (less than a block) waiting. */
        private void writeWholeBlocks() throws IOException {
            int waiting = aligned.position();
            int whole = waiting - waiting % direct.alignment();
            if (whole == 0) {
                return;
            }
            aligned.flip().limit(whole);
            try {
                writeFully(direct.channel(), aligned, position);
            } catch (IOException e) {
                if (aligned.position() > 0) {
                    throw e; // part of it went out: a real failure, not a refusal
                }
                aligned.limit(waiting);
                giveUpDirect();
                return;
            }
            position += whole;
            directBytes.addAndGet(whole);
            aligned.limit(waiting).compact();
        }

        /** Direct I/O refused: what waits goes through the page cache, and so does everything after it. */
        private void giveUpDirect() throws IOException {
            closeDirect();
            writeThroughCache(aligned); // flipped: the bytes waiting
            aligned.clear();
        }

        /** What waits for direct I/O (less than a block), through the page cache. */
        private void writeWaiting() throws IOException {
            if (aligned != null && aligned.position() > 0) {
                aligned.flip();
                writeThroughCache(aligned);
                aligned.clear();
            }
        }

        private void writeThroughCache(ByteBuffer data) throws IOException {
            int length = data.remaining();
            writeFully(channel, data, position);
            position += length;
            sinceWriteback += length;
            if (sinceWriteback >= writeback && writingBack.isDone()) {
                sinceWriteback = 0;
                startWriteback();
            }
        }

        private static void writeFully(FileChannel channel, ByteBuffer data, long position) throws IOException {
            long at = position;
            while (data.hasRemaining()) {
                at += channel.write(data, at);
            }
        }

        private void startWriteback() {
            try {
                writingBack = CompletableFuture.runAsync(() -> {
                    try {
                        channel.force(false);
                    } catch (IOException e) {
                        if (channel.isOpen() && writebackFailure == null) {
                            writebackFailure = e;
                        }
                    }
                }, background);
            } catch (RejectedExecutionException e) {
                // no early write-back: the commit's fsync writes everything
            }
        }

        /** Writes what waits, waits for the write-back running, then puts everything on the disk, metadata included. */
        void sync() throws IOException {
            writeWaiting();
            writingBack.join();
            IOException failure = writebackFailure;
            if (failure != null) {
                throw new IOException("writing the staged data to disk failed: " + failure.getMessage(), failure);
            }
            channel.force(true); // one fsync covers the file, what went out with direct I/O included
        }

        private void closeDirect() {
            if (direct != null) {
                try {
                    direct.channel().close();
                } catch (IOException ignored) {
                    // nothing is buffered on a direct channel
                }
                direct = null;
            }
        }

        /** Writes what waits (so the partial file holds everything given, for a resume) and closes both channels. */
        @Override
        public void close() throws IOException {
            try {
                if (channel.isOpen()) {
                    writeWaiting();
                }
            } finally {
                closeDirect();
                if (aligned != null) {
                    alignedBuffers.add(aligned.clear());
                    aligned = null;
                }
                channel.close();
            }
        }
    }
}
