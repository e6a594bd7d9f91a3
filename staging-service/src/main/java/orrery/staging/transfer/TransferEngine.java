package orrery.staging.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;
import orrery.staging.domain.Backoff;
import orrery.staging.domain.Digests;
import orrery.staging.domain.Presence;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.StoredFile;
import orrery.staging.source.PermanentSourceException;
import orrery.staging.source.SourceFetcher;
import orrery.staging.source.SourceStream;
import orrery.staging.storage.StagingStore;
import org.jboss.logging.Logger;

/**
 * Runs transfers on a bounded pool of workers: stream the source into a temporary file while
 * computing MD5 and SHA-256, verify size and MD5, then publish the file atomically.
 *
 * <p>Transient trouble (lost connection, 5xx, 429, a source that stalls) is retried with
 * exponential back-off on the {@link TimeSource}, resuming from the bytes already written when
 * the source supports ranges. A permanent refusal (4xx, a disallowed redirect) fails at once.
 * Two transfers to the same target never run together: the second waits and then finds the
 * file present.
 */
public final class TransferEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TransferEngine.class);
    private static final int BUFFER = 1 << 20;

    private final StagingStore store;
    private final Map<SourcePolicy.Scheme, SourceFetcher> fetchers;
    private final TimeSource time;
    private final Backoff backoff;
    private final Duration progressInterval;
    private final Duration stallTimeout;
    private final ExecutorService workers;
    private final ExecutorService hashers;
    private final boolean splitDigests = Runtime.getRuntime().availableProcessors() >= 4;
    private final Map<String, Semaphore> targets = new ConcurrentHashMap<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public TransferEngine(StagingStore store, Map<SourcePolicy.Scheme, SourceFetcher> fetchers, TimeSource time,
                          Backoff backoff, int concurrency, Duration progressInterval, Duration stallTimeout) {
        this.store = store;
        this.fetchers = Map.copyOf(fetchers);
        this.time = time;
        this.backoff = backoff;
        this.progressInterval = progressInterval;
        this.stallTimeout = stallTimeout;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "staging-transfer-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger hashThreads = new AtomicInteger();
        this.hashers = Executors.newFixedThreadPool((splitDigests ? 2 : 1) * concurrency, runnable -> {
            Thread thread = new Thread(runnable, "staging-hash-" + hashThreads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code work} on a transfer worker (for folder creation and other store calls). */
    public <T> CompletableFuture<T> onWorker(StoreCall<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        workers.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Starts a transfer; the future completes with its outcome (never exceptionally). */
    public CompletableFuture<TransferOutcome> submit(TransferSpec spec, ProgressListener listener) {
        Running job = new Running(spec, listener);
        Running previous = running.putIfAbsent(spec.taskId(), job);
        if (previous != null) {
            return previous.outcome;
        }
        job.outcome.whenComplete((outcome, failure) -> running.remove(spec.taskId(), job));
        workers.execute(() -> attempt(job, 1));
        return job.outcome;
    }

    /** The tasks running (or queued) here. */
    public java.util.Set<String> runningTaskIds() {
        return java.util.Set.copyOf(running.keySet());
    }

    /** True if the task is running (or queued) here. */
    public boolean isRunning(String taskId) {
        return running.containsKey(taskId);
    }

    /** Stops a running transfer; it completes as {@link TransferOutcome.Cancelled}. */
    public boolean cancel(String taskId) {
        Running job = running.get(taskId);
        if (job == null) {
            return false;
        }
        job.cancelled = true;
        job.closeSource();
        return true;
    }

    /** Stops every transfer, keeping partial files so that the next owner of each task can resume it. */
    @Override
    public void close() {
        closing = true;
        running.values().forEach(job -> {
            job.cancelled = true;
            job.closeSource();
        });
        workers.shutdownNow();
        hashers.shutdownNow();
    }

    private void attempt(Running job, int attempt) {
        if (job.cancelled) {
            discard(job);
            job.outcome.complete(new TransferOutcome.Cancelled());
            return;
        }
        Semaphore target = targets.computeIfAbsent(job.spec.targetPath(), path -> new Semaphore(1));
        target.acquireUninterruptibly();
        try {
            job.outcome.complete(transfer(job));
        } catch (PermanentSourceException e) {
            discard(job);
            job.outcome.complete(new TransferOutcome.Failed(e.getMessage()));
        } catch (ProblemException e) {
            discard(job);
            job.outcome.complete(new TransferOutcome.Failed(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            if (job.cancelled) {
                discard(job);
                job.outcome.complete(new TransferOutcome.Cancelled());
            } else if (backoff.mayRetry(attempt)) {
                Duration wait = backoff.before(attempt + 1);
                LOG.infof("transfer %s: attempt %d failed (%s); retrying in %s", job.spec.taskId(), attempt,
                        e.getMessage(), wait);
                time.scheduleAfter(wait, () -> workers.execute(() -> attempt(job, attempt + 1)));
            } else {
                discard(job);
                job.outcome.complete(new TransferOutcome.Failed("gave up after " + attempt + " attempts; last error: "
                        + e.getMessage()));
            }
        } finally {
            target.release();
        }
    }

    private TransferOutcome transfer(Running job) throws IOException {
        TransferSpec spec = job.spec;
        Instant started = time.now();
        Optional<StoredFile> present = store.stat(spec.targetPath());
        Presence presence = Presence.of(present, spec.checks());
        if (presence.verdict() == Presence.Verdict.PRESENT) {
            store.discardPartial(spec.targetPath(), spec.taskId());
            return new TransferOutcome.Completed(present.get(), false, 0, Duration.ZERO);
        }
        if (presence.verdict() == Presence.Verdict.CONFLICT) {
            return new TransferOutcome.Failed(presence.detail() + " (staging never overwrites a file)");
        }
        SourceFetcher fetcher = fetchers.get(spec.source().scheme());
        if (fetcher == null) {
            return new TransferOutcome.Failed("sources of kind " + spec.source().scheme()
                    + " are not enabled on this service");
        }
        try (StagingStore.Upload upload = store.begin(spec.targetPath(), spec.taskId(), spec.checks().size(),
                spec.checks().md5())) {
            Digests digests = new Digests();
            long offset = resume(upload, digests);
            try (SourceStream source = fetcher.open(spec.source(), offset)) {
                job.source = source;
                if (source.offset() != offset) {
                    digests = new Digests();
                    offset = 0;
                }
                Long total = source.remaining() != null ? offset + source.remaining() : spec.checks().size();
                long fetched = copy(job, source.body(), upload.open(offset), digests, offset, total);
                if (source.remaining() != null && fetched < source.remaining()) {
                    throw new IOException("the source sent " + fetched + " of " + source.remaining()
                            + " announced bytes before closing; will resume");
                }
                Digests.Result result = digests.finish();
                String mismatch = verify(spec, result);
                if (mismatch != null) {
                    upload.abort();
                    return new TransferOutcome.Failed(mismatch + "; the partial file was removed");
                }
                StoredFile file = new StoredFile(result.size(), result.md5(), result.sha256());
                upload.commit(file);
                return new TransferOutcome.Completed(file, true, fetched, Duration.between(started, time.now()));
            } finally {
                job.source = null;
            }
        }
    }

    private static long resume(StagingStore.Upload upload, Digests digests) throws IOException {
        long resumable = upload.resumableBytes();
        if (resumable == 0) {
            return 0;
        }
        byte[] buffer = new byte[BUFFER];
        try (InputStream partial = upload.partial()) {
            long read = 0;
            for (int n; read < resumable && (n = partial.read(buffer, 0, (int) Math.min(buffer.length, resumable - read))) > 0; ) {
                digests.update(buffer, 0, n);
                read += n;
            }
            return read;
        }
    }

    /**
     * Streams {@code in} to {@code out}. The digests of each chunk are computed on a hashing thread
     * while the next chunk is read and this one written, so verification overlaps the transfer
     * instead of adding to it; with cores to spare, MD5 and SHA-256 each get a thread. Two
     * buffers per transfer, whatever its size.
     */
    private long copy(Running job, InputStream in, OutputStream out, Digests digests, long offset, Long total)
            throws IOException {
        byte[][] buffers = {new byte[BUFFER], new byte[BUFFER]};
        int current = 0;
        Future<?> md5 = null;
        Future<?> sha256 = null;
        long fetched = 0;
        Instant lastReport = Instant.MIN; // the first bytes are reported at once: the requester learns it started
        job.touch(time.now());
        job.copying = true;
        watch(job);
        try {
            for (int n; (n = fill(in, buffers[current])) > 0; ) {
                if (job.cancelled) {
                    throw new IOException("cancelled");
                }
                byte[] chunk = buffers[current];
                int length = n;
                await(md5, sha256);
                digests.counted(length);
                if (splitDigests) {
                    md5 = hashers.submit(() -> digests.updateMd5(chunk, 0, length));
                    sha256 = hashers.submit(() -> digests.updateSha256(chunk, 0, length));
                } else {
                    md5 = hashers.submit(() -> {
                        digests.updateMd5(chunk, 0, length);
                        digests.updateSha256(chunk, 0, length);
                    });
                }
                out.write(chunk, 0, length);
                fetched += length;
                Long expected = job.spec.checks().size();
                if (expected != null && digests.length() > expected) {
                    throw new PermanentSourceException("the source is larger than the expected " + expected
                            + " bytes; the partial file was removed");
                }
                Instant now = time.now();
                job.touch(now);
                if (!now.isBefore(lastReport.plus(progressInterval))) {
                    job.listener.progress(offset + fetched, total);
                    lastReport = now;
                }
                current = 1 - current;
            }
            await(md5, sha256);
            if (job.cancelled) {
                throw new IOException("cancelled");
            }
            out.flush();
            job.listener.progress(offset + fetched, total);
            return fetched;
        } finally {
            job.copying = false;
            TimeSource.Timer watchdog = job.watchdog;
            if (watchdog != null) {
                watchdog.cancel();
            }
            cancelQuietly(md5, sha256);
        }
    }

    /** Reads as much as is there without blocking again, up to a full buffer: big chunks when data flows. */
    private static int fill(InputStream in, byte[] buffer) throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        while (n > 0 && n < buffer.length && in.available() > 0) {
            int more = in.read(buffer, n, buffer.length - n);
            if (more <= 0) {
                break;
            }
            n += more;
        }
        return n;
    }

    private static void await(Future<?>... hashing) throws IOException {
        for (Future<?> future : hashing) {
            if (future == null) {
                continue;
            }
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while hashing");
            } catch (ExecutionException e) {
                throw new IllegalStateException("hashing failed", e.getCause());
            }
        }
    }

    private static void cancelQuietly(Future<?>... hashing) {
        for (Future<?> future : hashing) {
            if (future != null) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException ignored) {
                    // the transfer already failed; its digests are thrown away
                }
            }
        }
    }

    /** Closes the source of a transfer that has received nothing for the stall timeout, so it is retried. */
    private void watch(Running job) {
        job.watchdog = time.scheduleAfter(stallTimeout, () -> {
            if (!job.copying) {
                return;
            }
            if (!time.now().isBefore(job.lastActivity.plus(stallTimeout))) {
                LOG.infof("transfer %s: no data for %s; closing the source to retry", job.spec.taskId(), stallTimeout);
                job.closeSource();
            } else {
                watch(job);
            }
        });
    }

    private static String verify(TransferSpec spec, Digests.Result result) {
        Long size = spec.checks().size();
        if (size != null && size != result.size()) {
            return "size mismatch: expected " + size + " bytes, received " + result.size();
        }
        String md5 = spec.checks().md5();
        if (md5 != null && !md5.equalsIgnoreCase(result.md5())) {
            return "MD5 mismatch: expected " + md5 + ", received " + result.md5()
                    + " (the source differs from what the request describes, or was corrupted)";
        }
        return null;
    }

    private void discard(Running job) {
        if (closing) {
            return;
        }
        try {
            store.discardPartial(job.spec.targetPath(), job.spec.taskId());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("transfer %s: cannot remove its partial file: %s", job.spec.taskId(), e.getMessage());
        }
    }

    /** A call into the store that may block and fail. */
    @FunctionalInterface
    public interface StoreCall<T> {
        T call() throws Exception;
    }

    private static final class Running {
        final TransferSpec spec;
        final ProgressListener listener;
        final CompletableFuture<TransferOutcome> outcome = new CompletableFuture<>();
        volatile boolean cancelled;
        volatile SourceStream source;
        volatile Instant lastActivity = Instant.EPOCH;
        volatile TimeSource.Timer watchdog;
        volatile boolean copying;

        Running(TransferSpec spec, ProgressListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        void touch(Instant now) {
            lastActivity = now;
        }

        void closeSource() {
            SourceStream current = source;
            if (current != null) {
                try {
                    current.close();
                } catch (IOException ignored) {
                    // closing is how we interrupt a blocked read; errors do not matter
                }
            }
        }
    }
}
