package orrery.staging.service.transfer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import orrery.staging.domain.Digests;

/**
 * Computes a stream's MD5 and SHA-256 on hashing threads while the caller reads the next chunk
 * and writes this one (double buffering: two buffers, one hashed while the other fills), so
 * verification overlaps the transfer instead of adding to it. With {@code split}, MD5 and
 * SHA-256 each get a thread. Chunks are hashed in stream order: a chunk's hashing starts once the
 * previous chunk's has finished, which is also when its buffer may be filled again.
 */
final class ChunkHasher implements AutoCloseable {

    private final ExecutorService hashers;
    private final boolean split;
    private final Digests digests;
    private final byte[][] buffers;
    private int current;
    private Future<?> md5;
    private Future<?> sha256;

    ChunkHasher(ExecutorService hashers, boolean split, Digests digests, int bufferSize) {
        this.hashers = hashers;
        this.split = split;
        this.digests = digests;
        this.buffers = new byte[][] {new byte[bufferSize], new byte[bufferSize]};
    }

    /** Where to read the next chunk: not the buffer being hashed. */
    byte[] buffer() {
        return buffers[current];
    }

    /**
     * Waits for the previous chunk's digests, starts hashing the {@code length} bytes just read
     * into {@link #buffer()}, and returns that buffer for the caller to write; the next read goes
     * into the other one.
     */
    byte[] hash(int length) throws IOException {
        finish();
        byte[] chunk = buffers[current];
        digests.counted(length);
        if (split) {
            md5 = hashers.submit(() -> digests.updateMd5(chunk, 0, length));
            sha256 = hashers.submit(() -> digests.updateSha256(chunk, 0, length));
        } else {
            md5 = hashers.submit(() -> {
                digests.updateMd5(chunk, 0, length);
                digests.updateSha256(chunk, 0, length);
            });
        }
        current = 1 - current;
        return chunk;
    }

    /** Waits until every chunk handed over is hashed. */
    void finish() throws IOException {
        await(md5);
        await(sha256);
    }

    /** Waits for hashing still running; its result no longer matters (the transfer ended or failed). */
    @Override
    public void close() {
        awaitQuietly(md5);
        awaitQuietly(sha256);
    }

    private static void await(Future<?> hashing) throws IOException {
        if (hashing == null) {
            return;
        }
        try {
            hashing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed", e.getCause());
        }
    }

    private static void awaitQuietly(Future<?> hashing) {
        try {
            await(hashing);
        } catch (IOException | IllegalStateException ignored) {
            // the transfer already failed; its digests are thrown away (an interrupt stays flagged)
        }
    }
}
