package orrery.staging.service.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;
import orrery.staging.backend.source.PermanentSourceException;
import orrery.staging.backend.source.SourceFetcher;
import orrery.staging.backend.source.SourceStream;
import orrery.staging.backend.storage.StagingStore;
import orrery.staging.domain.Backoff;
import orrery.staging.domain.ChunkPipeline;
import orrery.staging.domain.Digests;
import orrery.staging.domain.Presence;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.StoredFile;
import orrery.staging.domain.TransferModel;
import org.jboss.logging.Logger;

/**
 * Runs transfers on a bounded pool of workers: stream the source into a temporary file while
 * computing MD5 and SHA-256, verify size and MD5, then publish the file atomically. The worker
 * only receives: it fills large buffers that a {@link ChunkPipeline} hands, without copying, to
 * an MD5 thread, a SHA-256 thread and a writer thread at once, so a transfer goes at the pace of
 * the slowest of them (MD5, on most machines) rather than of their sum;
 * {@value #BUFFERS} buffers of 1 MiB per transfer bound its memory.
 *
 * <p>Transient trouble (lost connection, 5xx, 429, a source that stalls) is retried with
 * exponential back-off ({@link Backoff}) on the {@link TimeSource}, resuming from the bytes already
 * written when the source supports ranges. A permanent refusal (4xx, a disallowed redirect) fails
 * at once. Two transfers to the same target never run together ({@link TargetLocks}): the second
 * waits and then finds the file present.
 *
 * <p>With a {@link TransferModel} (the simulated backend) nothing is fetched: {@link SimulatedTransfers}
 * runs each transfer as a timer on the {@link TimeSource} instead, with the same slots and rules.
 */
public final class TransferEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TransferEngine.class);
    private static final int BUFFER = 1 << 20;
    /** Buffers per transfer: one being received, the others queued for (or in) the stages; bounds its memory. */
    static final int BUFFERS = 8;

    private final StagingStore store;
    private final Map<SourcePolicy.Scheme, SourceFetcher> fetchers;
    private final TimeSource time;
    private final Backoff backoff;
    private final Duration progressInterval;
    private final Duration stallTimeout;
    private final ExecutorService workers;
    /** Runs the pipelines' stages (three threads per running transfer; idle ones end after a minute). */
    private final ExecutorService stages;
    private final ChunkPipeline pipeline;
    private final TargetLocks targets = new TargetLocks();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** The simulated mode, or null when transfers are real. */
    private final SimulatedTransfers simulated;
    private volatile boolean closing;

    public TransferEngine(StagingStore store, Map<SourcePolicy.Scheme, SourceFetcher> fetchers, TimeSource time,
                          Backoff backoff, int concurrency, Duration progressInterval, Duration stallTimeout) {
        this(store, fetchers, time, backoff, concurrency, progressInterval, stallTimeout, null);
    }

    /** An engine whose transfers follow {@code simulation} (nothing fetched), or real ones when it is null. */
    public TransferEngine(StagingStore store, Map<SourcePolicy.Scheme, SourceFetcher> fetchers, TimeSource time,
                          Backoff backoff, int concurrency, Duration progressInterval, Duration stallTimeout,
                          TransferModel simulation) {
        this.simulated = simulation == null ? null : new SimulatedTransfers(store, time, simulation, concurrency);
        this.store = store;
        this.fetchers = Map.copyOf(fetchers);
        this.time = time;
        this.backoff = backoff;
        this.progressInterval = progressInterval;
        this.stallTimeout = stallTimeout;
        this.workers = Executors.newFixedThreadPool(concurrency, daemons("staging-transfer-"));
        this.stages = Executors.newCachedThreadPool(daemons("staging-stage-"));
        this.pipeline = new ChunkPipeline(stages, BUFFERS, BUFFER);
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger threads = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Runs {@code work} on a transfer worker (for folder creation and other store calls); in the
     * simulated mode, whose store is in memory, on the caller's thread, so it ends at once.
     */
    public <T> CompletableFuture<T> onWorker(StoreCall<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (simulated != null) {
            try {
                result.complete(work.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
            return result;
        }
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
        if (simulated != null) {
            simulated.start(spec, listener, job.outcome);
            return job.outcome;
        }
        workers.execute(() -> attempt(job, 1));
        return job.outcome;
    }

    /** The tasks running (or queued) here. */
    public Set<String> runningTaskIds() {
        return Set.copyOf(running.keySet());
    }

    /** True if the task is running (or queued) here. */
    public boolean isRunning(String taskId) {
        return running.containsKey(taskId);
    }

    /** Targets held or waited for by a transfer now: at most the transfers running or queued, never one per target seen. */
    int lockedTargets() {
        return targets.size();
    }

    /** Stops a running transfer; it completes as {@link TransferOutcome.Cancelled}. */
    public boolean cancel(String taskId) {
        Running job = running.get(taskId);
        if (job == null) {
            return false;
        }
        if (simulated != null) {
            return simulated.cancel(taskId);
        }
        job.cancel();
        return true;
    }

    /** Stops every transfer, keeping partial files so that the next owner of each task can resume it. */
    @Override
    public void close() {
        closing = true;
        if (simulated != null) {
            simulated.close();
        }
        running.values().forEach(Running::cancel);
        workers.shutdownNow();
        stages.shutdownNow();
    }

    /** One attempt at a transfer: its outcome, or on transient trouble a retry after the back-off. */
    private void attempt(Running job, int attempt) {
        if (job.cancelled) {
            endCancelled(job);
            return;
        }
        try {
            job.outcome.complete(transferHoldingTarget(job));
        } catch (PermanentSourceException | ProblemException e) {
            endFailed(job, e.getMessage());
        } catch (IOException | RuntimeException e) {
            retryOrGiveUp(job, attempt, e);
        }
    }

    private TransferOutcome transferHoldingTarget(Running job) throws IOException {
        try (TargetLocks.Held target = targets.acquire(job.spec.targetPath())) {
            return transfer(job);
        }
    }

    private void retryOrGiveUp(Running job, int attempt, Exception failure) {
        if (job.cancelled) {
            endCancelled(job);
        } else if (backoff.mayRetry(attempt)) {
            Duration wait = backoff.before(attempt + 1);
            LOG.infof("transfer %s: attempt %d failed (%s); retrying in %s", job.spec.taskId(), attempt,
                    failure.getMessage(), wait);
            time.scheduleAfter(wait, () -> workers.execute(() -> attempt(job, attempt + 1)));
        } else {
            endFailed(job, "gave up after " + attempt + " attempts; last error: " + failure.getMessage());
        }
    }

    private void endCancelled(Running job) {
        discardPartial(job);
        job.outcome.complete(new TransferOutcome.Cancelled());
    }

    private void endFailed(Running job, String reason) {
        discardPartial(job);
        job.outcome.complete(new TransferOutcome.Failed(reason));
    }

    /** Compares what the target holds with the checks, and fetches the source only when nothing is there yet. */
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
        return fetch(job, fetcher, started);
    }

    /** Streams the source into an upload, continuing an earlier attempt's partial file, and commits it if it verifies. */
    private TransferOutcome fetch(Running job, SourceFetcher fetcher, Instant started) throws IOException {
        TransferSpec spec = job.spec;
        try (StagingStore.Upload upload = store.begin(spec.targetPath(), spec.taskId(), spec.checks().size(),
                spec.checks().md5())) {
            Digests digests = new Digests();
            long offset = resume(pipeline, upload, digests);
            try (SourceStream source = fetcher.open(spec.source(), offset)) {
                job.source = source;
                if (source.offset() != offset) { // the source cannot resume: it sends everything again
                    digests = new Digests();
                    offset = 0;
                }
                long fetched = receive(job, source, upload, digests, offset);
                return commitIfVerified(spec, upload, digests.finish(), fetched, started);
            } finally {
                job.source = null;
            }
        }
    }

    /** Hashes what an earlier attempt of the task wrote, so that this one can continue after it; returns its length. */
    private static long resume(ChunkPipeline pipeline, StagingStore.Upload upload, Digests digests) throws IOException {
        long resumable = upload.resumableBytes();
        if (resumable == 0) {
            return 0;
        }
        try (InputStream partial = upload.partial()) {
            long[] left = {resumable};
            ChunkPipeline.Source upToResumable = (buffer, offset, length) -> {
                int n = left[0] == 0 ? -1 : partial.read(buffer, offset, (int) Math.min(length, left[0]));
                left[0] -= Math.max(n, 0);
                return n;
            };
            long read = pipeline.run(upToResumable, (count, total) -> digests.counted(count),
                    List.of(digests::updateMd5, digests::updateSha256));
            return read;
        }
    }

    /** Copies the source's body into the upload from {@code offset}; a body shorter than announced is transient trouble. */
    private long receive(Running job, SourceStream source, StagingStore.Upload upload, Digests digests, long offset)
            throws IOException {
        Long total = source.remaining() != null ? offset + source.remaining() : job.spec.checks().size();
        long fetched = copy(job, source.body(), upload.open(offset), digests, new Progress(job.listener, offset, total));
        if (source.remaining() != null && fetched < source.remaining()) {
            throw new IOException("the source sent " + fetched + " of " + source.remaining()
                    + " announced bytes before closing; will resume");
        }
        return fetched;
    }

    private TransferOutcome commitIfVerified(TransferSpec spec, StagingStore.Upload upload, Digests.Result result,
                                             long fetched, Instant started) throws IOException {
        String mismatch = mismatch(spec, result);
        if (mismatch != null) {
            upload.abort();
            return new TransferOutcome.Failed(mismatch + "; the partial file was removed");
        }
        StoredFile file = new StoredFile(result.size(), result.md5(), result.sha256());
        upload.commit(file);
        return new TransferOutcome.Completed(file, true, fetched, Duration.between(started, time.now()));
    }

    /**
     * Streams {@code in} through the {@link ChunkPipeline}: MD5, SHA-256 and {@code out} each on a thread
     * of their own, fed the same buffers. Every read counts as activity for the stall watchdog, is checked
     * for cancellation and size, and reports progress (bytes received).
     */
    private long copy(Running job, InputStream in, OutputStream out, Digests digests, Progress progress)
            throws IOException {
        startWatching(job);
        try {
            long fetched = pipeline.run(in::read, (count, total) -> {
                stopIfCancelled(job);
                digests.counted(count);
                refuseIfLarger(job.spec, digests);
                Instant now = time.now();
                job.lastActivity = now;
                progress.chunk(total, now);
            }, List.of(digests::updateMd5, digests::updateSha256, out::write));
            stopIfCancelled(job);
            out.flush();
            progress.end(fetched);
            return fetched;
        } finally {
            stopWatching(job);
        }
    }

    private static void stopIfCancelled(Running job) throws IOException {
        if (job.cancelled) {
            throw new IOException("cancelled");
        }
    }

    private static void refuseIfLarger(TransferSpec spec, Digests digests) throws PermanentSourceException {
        Long expected = spec.checks().size();
        if (expected != null && digests.length() > expected) {
            throw new PermanentSourceException("the source is larger than the expected " + expected
                    + " bytes; the partial file was removed");
        }
    }

    private void startWatching(Running job) {
        job.lastActivity = time.now();
        job.copying = true;
        watch(job);
    }

    private static void stopWatching(Running job) {
        job.copying = false;
        TimeSource.Timer watchdog = job.watchdog;
        if (watchdog != null) {
            watchdog.cancel();
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

    /** What differs between the checks and what arrived, or null when they agree. */
    private static String mismatch(TransferSpec spec, Digests.Result result) {
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

    private void discardPartial(Running job) {
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

    /** Tells the listener how far a transfer has got: the first bytes at once, then at most once per interval, and the end. */
    private final class Progress {
        private final ProgressListener listener;
        private final long offset;
        private final Long total;
        private Instant lastReport = Instant.MIN;

        Progress(ProgressListener listener, long offset, Long total) {
            this.listener = listener;
            this.offset = offset;
            this.total = total;
        }

        void chunk(long fetched, Instant now) {
            if (!now.isBefore(lastReport.plus(progressInterval))) {
                listener.progress(offset + fetched, total);
                lastReport = now;
            }
        }

        void end(long fetched) {
            listener.progress(offset + fetched, total);
        }
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

        void cancel() {
            cancelled = true;
            closeSource();
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
