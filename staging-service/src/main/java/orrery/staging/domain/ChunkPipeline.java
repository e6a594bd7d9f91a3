package orrery.staging.domain;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moves a stream through several stages at once (for a transfer: MD5, SHA-256 and the file
 * writer), each on a thread of its own, so that the stream goes at the pace of the slowest stage
 * instead of the sum of them all.
 *
 * <p>The calling thread reads: it fills large buffers (reading until one is full or the stream
 * ends, so a fast source gives full buffers and few hand-overs) and hands each buffer, as it is,
 * to every stage through a queue of its own; no stage copies it. A buffer goes back to the pool
 * when the last stage has released it, and the reader waits for a free buffer when all are in
 * flight: memory is bounded by {@code buffers × bufferSize} per run, however long the stream,
 * and the reader is never more than that ahead of the slowest stage. Every stage sees the chunks
 * in stream order.
 *
 * <p>After every read the {@link Watcher} is told (on the reader's thread): it may stop the run
 * by throwing (a cancel, a source larger than expected). When the stream ends, the source fails,
 * the watcher throws or a stage fails, the run hands over what was read, lets every stage finish
 * what it was given, and only then returns or throws: afterwards no stage touches anything, so a
 * file written by a stage holds exactly a prefix of the stream (what a resume continues from).
 * A failing stage stops the reader at its next buffer; the other stages skip the chunks still
 * queued. The first failure is thrown (the others added as suppressed).
 *
 * <p>Buffers outlive their run: a finished run leaves its buffers to the next (up to
 * {@code spareBuffers} kept), so a service moving many files allocates no new large arrays and its
 * heap does not grow (in pages touched) with every transfer.
 */
public final class ChunkPipeline {

    /** Where the bytes come from, as {@link java.io.InputStream#read(byte[], int, int)}: -1 at the end. */
    @FunctionalInterface
    public interface Source {
        int read(byte[] buffer, int offset, int length) throws IOException;
    }

    /** One consumer of the stream; called on a thread of its own, chunk after chunk in stream order. */
    @FunctionalInterface
    public interface Stage {
        void accept(byte[] buffer, int offset, int length) throws IOException;
    }

    /** Told of every read on the reader's thread ({@code count} bytes, {@code total} so far); throws to stop. */
    @FunctionalInterface
    public interface Watcher {
        void received(int count, long total) throws IOException;
    }

    public static final Watcher UNWATCHED = (count, total) -> { };

    private static final byte[] POISON = new byte[0];

    private final Executor executor;
    private final int buffers;
    private final int bufferSize;
    private final int spareBuffers;
    private final Queue<byte[]> spare = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();

    /**
     * @param executor runs the stages: it must be able to run {@code stages} tasks at once per
     *                 concurrent run (a cached pool does)
     * @param buffers  buffers per run, at least 2 (one filling, one being consumed)
     */
    public ChunkPipeline(Executor executor, int buffers, int bufferSize) {
        this(executor, buffers, bufferSize, buffers);
    }

    /** @param spareBuffers buffers kept between runs for the next ones (as many as runs at once need, at most) */
    public ChunkPipeline(Executor executor, int buffers, int bufferSize, int spareBuffers) {
        if (buffers < 2 || bufferSize < 1 || spareBuffers < 0) {
            throw new IllegalArgumentException("a pipeline needs at least 2 buffers of at least 1 byte");
        }
        this.executor = executor;
        this.buffers = buffers;
        this.bufferSize = bufferSize;
        this.spareBuffers = spareBuffers;
    }

    public int buffers() {
        return buffers;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** Reads {@code source} to its end through every stage; returns the bytes read. */
    public long run(Source source, Watcher watcher, List<Stage> stages) throws IOException {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one stage");
        }
        Run run = new Run(stages);
        Throwable failure = null;
        long total = 0;
        try {
            run.start();
            total = run.pump(source, watcher);
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        }
        run.endAndAwait(failure);
        run.keepBuffers();
        Throwable stageFailure = run.stageFailure;
        if (failure == null && stageFailure != null) {
            failure = stageFailure;
        } else if (failure != null && stageFailure != null && stageFailure != failure) {
            failure.addSuppressed(stageFailure);
        }
        if (failure != null) {
            throw rethrow(failure);
        }
        return total;
    }

    private static IOException rethrow(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IOException(failure.getMessage(), failure);
    }

    /** A buffer handed to the stages; back in the pool once every stage released it. */
    private record Chunk(byte[] data, int length, AtomicInteger holders) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0, new AtomicInteger());

    /** One run's buffers, queues and stage threads. */
    private final class Run {
        private final List<Stage> stages;
        private final List<BlockingQueue<Chunk>> queues = new ArrayList<>();
        private final BlockingQueue<byte[]> free = new LinkedBlockingQueue<>();
        private final CountDownLatch finished;
        private int started;
        private int created;
        private volatile Throwable stageFailure;

        Run(List<Stage> stages) {
            this.stages = List.copyOf(stages);
            this.finished = new CountDownLatch(stages.size());
            for (int i = 0; i < stages.size(); i++) {
                queues.add(new ArrayBlockingQueue<>(buffers + 1)); // every buffer, and the end
            }
        }

        void start() throws IOException {
            for (int i = 0; i < stages.size(); i++) {
                Stage stage = stages.get(i);
                BlockingQueue<Chunk> queue = queues.get(i);
                try {
                    executor.execute(() -> work(stage, queue));
                } catch (RejectedExecutionException e) {
                    throw new IOException("no thread to run the transfer's stages (the service is stopping?)", e);
                }
                started++;
            }
        }

        long pump(Source source, Watcher watcher) throws IOException {
            long total = 0;
            while (true) {
                byte[] buffer = acquire();
                int filled = 0;
                boolean ended = false;
                try {
                    while (filled < buffer.length) {
                        int n = source.read(buffer, filled, buffer.length - filled);
                        if (n < 0) {
                            ended = true;
                            break;
                        }
                        filled += n;
                        total += n;
                        if (n > 0) {
                            watcher.received(n, total);
                        }
                    }
                } finally {
                    hand(buffer, filled); // what was read is good, even when the next read failed
                }
                if (ended) {
                    return total;
                }
            }
        }

        private byte[] acquire() throws IOException {
            failIfStageFailed();
            byte[] buffer = free.poll();
            if (buffer == null && created < buffers) {
                created++;
                byte[] kept = spare.poll();
                if (kept != null) {
                    spareCount.decrementAndGet();
                    return kept;
                }
                return new byte[bufferSize];
            }
            try {
                if (buffer == null) {
                    buffer = free.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a buffer");
            }
            failIfStageFailed();
            return buffer;
        }

        private void failIfStageFailed() throws IOException {
            Throwable failure = stageFailure;
            if (failure != null) {
                throw rethrow(failure);
            }
        }

        private void hand(byte[] buffer, int length) {
            if (length == 0) {
                free.add(buffer);
                return;
            }
            Chunk chunk = new Chunk(buffer, length, new AtomicInteger(stages.size()));
            for (BlockingQueue<Chunk> queue : queues) {
                queue.add(chunk); // never full: a queue holds at most every buffer, and the end
            }
        }

        private void work(Stage stage, BlockingQueue<Chunk> queue) {
            try {
                for (Chunk chunk; (chunk = queue.take()) != END; ) {
                    try {
                        if (stageFailure == null) {
                            stage.accept(chunk.data(), 0, chunk.length());
                        }
                    } catch (IOException | RuntimeException | Error e) {
                        fail(e);
                    } finally {
                        release(chunk);
                    }
                }
            } catch (InterruptedException e) {
                fail(new InterruptedIOException("a transfer stage was interrupted"));
            } finally {
                finished.countDown();
            }
        }

        private void release(Chunk chunk) {
            if (chunk.holders().decrementAndGet() == 0) {
                free.add(chunk.data());
            }
        }

        private synchronized void fail(Throwable failure) {
            if (stageFailure == null) {
                stageFailure = failure;
            }
            free.add(POISON); // wakes a reader waiting for a buffer
        }

        /** Leaves the run's buffers (all back once every stage finished) to the next runs. */
        void keepBuffers() {
            for (byte[] buffer; (buffer = free.poll()) != null; ) {
                if (buffer != POISON && spareCount.incrementAndGet() <= spareBuffers) {
                    spare.add(buffer);
                } else if (buffer != POISON) {
                    spareCount.decrementAndGet();
                }
            }
        }

        /** Tells every started stage the stream ended and waits until each has finished what it was given. */
        void endAndAwait(Throwable failure) throws IOException {
            for (int i = 0; i < started; i++) {
                queues.get(i).add(END);
            }
            for (int i = started; i < stages.size(); i++) {
                finished.countDown();
            }
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("interrupted while the stages finish");
                if (failure != null) {
                    interrupted.addSuppressed(failure);
                }
                throw interrupted;
            }
        }
    }
}
