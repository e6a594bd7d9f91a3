package orrery.fswatch.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import orrery.fswatch.domain.FileStat;
import orrery.fswatch.domain.Sha256Hasher;

/**
 * Hashes settled files on a fixed set of threads shared by all roots (one per core by default),
 * each with its own reused buffer, and says whether the file changed while it was read.
 */
public final class HashPool implements AutoCloseable {

    /** The file's hash (null if it could not be read) and its stat after reading (null if gone). */
    public record Result(String sha256, FileStat after) {
    }

    private final Sha256Hasher hasher = new Sha256Hasher();
    private final ExecutorService threads;

    public HashPool(int threadCount) {
        AtomicInteger number = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(Math.max(1, threadCount), runnable -> {
            Thread thread = new Thread(runnable, "fswatch-hash-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public void submit(Path file, Consumer<Result> done) {
        threads.execute(() -> done.accept(hash(file)));
    }

    /** Runs other file work (a folder of a parallel scan) on these threads. */
    public void execute(Runnable task) {
        threads.execute(task);
    }

    /**
     * Hashes {@code file} on the calling thread (one of these, in a scan), knowing its stat from the scan:
     * no read beyond its size.
     */
    public Result hashNow(Path file, FileStat before) {
        return hash(file, before.size());
    }

    private Result hash(Path file) {
        return hash(file, Long.MAX_VALUE);
    }

    private Result hash(Path file, long expectedSize) {
        String sha256;
        try {
            sha256 = hasher.hash(file, expectedSize);
        } catch (IOException | RuntimeException e) {
            sha256 = null;
        }
        return new Result(sha256, FileStat.read(file));
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
