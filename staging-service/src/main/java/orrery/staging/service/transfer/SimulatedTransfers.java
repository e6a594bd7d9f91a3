package orrery.staging.service.transfer;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;
import orrery.staging.backend.storage.StagingStore;
import orrery.staging.domain.Presence;
import orrery.staging.domain.StoredFile;
import orrery.staging.domain.TransferModel;
import orrery.staging.domain.TransferModel.Failure;

/**
 * The transfer engine's simulated mode: each transfer is a {@link TimeSource} timer, due size ÷ rate
 * after it starts ({@link TransferModel}); nothing is fetched or written, the store only records
 * the modelled file. As in the real engine, at most {@code slots} transfers run at once (the rest
 * wait in the order they came), two transfers to the same target never run together, a file
 * already there completes at once, and one there but different fails.
 *
 * <p>Everything happens on the caller's thread or the clock's (no worker hop), so on simulated time
 * a transfer's timer exists before the message that asked for it is acknowledged, and the clock
 * can never pass it unseen. Progress is reported once, at the start (0 of size bytes), so progress
 * reports never ask simulated time to stop.
 */
final class SimulatedTransfers {

    private final StagingStore store;
    private final TimeSource time;
    private final TransferModel model;
    private final int slots;
    private final Deque<Job> waiting = new ArrayDeque<>();
    private final Map<String, Job> active = new LinkedHashMap<>();

    SimulatedTransfers(StagingStore store, TimeSource time, TransferModel model, int slots) {
        this.store = store;
        this.time = time;
        this.model = model;
        this.slots = slots;
    }

    /** One transfer, waiting or under way. */
    private static final class Job {
        final TransferSpec spec;
        final ProgressListener listener;
        final CompletableFuture<TransferOutcome> outcome;
        Instant started;
        TimeSource.Timer timer;

        Job(TransferSpec spec, ProgressListener listener, CompletableFuture<TransferOutcome> outcome) {
            this.spec = spec;
            this.listener = listener;
            this.outcome = outcome;
        }
    }

    /** Queues the transfer and starts what may start; {@code outcome} completes when it ends. */
    void start(TransferSpec spec, ProgressListener listener, CompletableFuture<TransferOutcome> outcome) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            waiting.add(new Job(spec, listener, outcome));
            dispatch(after);
        }
        after.forEach(Runnable::run);
    }

    /** Stops a waiting or running transfer (it completes Cancelled); false when there is none. */
    boolean cancel(String taskId) {
        List<Runnable> after = new ArrayList<>();
        Job job;
        synchronized (this) {
            job = active.remove(taskId);
            if (job != null) {
                if (job.timer != null) {
                    job.timer.cancel();
                }
                dispatch(after);
            } else {
                job = removeWaiting(taskId);
            }
        }
        if (job == null) {
            return false;
        }
        job.outcome.complete(new TransferOutcome.Cancelled());
        after.forEach(Runnable::run);
        return true;
    }

    /** Drops every timer (the service is stopping); outcomes stay open, as the real engine's do. */
    synchronized void close() {
        active.values().forEach(job -> {
            if (job.timer != null) {
                job.timer.cancel();
            }
        });
        active.clear();
        waiting.clear();
    }

    /** Starts waiting transfers in order while a slot is free, skipping those whose target is busy. Holds the lock. */
    private void dispatch(List<Runnable> after) {
        for (Iterator<Job> it = waiting.iterator(); it.hasNext() && active.size() < slots; ) {
            Job job = it.next();
            if (targetBusy(job.spec.targetPath())) {
                continue;
            }
            it.remove();
            begin(job, after);
        }
    }

    /** Ends at once what needs no time (present, conflicting, missing), else runs it until its timer. Holds the lock. */
    private void begin(Job job, List<Runnable> after) {
        Optional<TransferOutcome> immediate = immediateOutcome(job.spec);
        if (immediate.isPresent()) {
            after.add(() -> job.outcome.complete(immediate.get()));
            return;
        }
        long size = model.size(job.spec.checks());
        Instant now = time.now();
        Instant due = now.plus(model.duration(size));
        job.started = now;
        active.put(job.spec.taskId(), job);
        after.add(() -> {
            TimeSource.Timer timer = time.schedule(due, () -> finish(job));
            synchronized (this) {
                job.timer = timer;
            }
            job.listener.progress(0, size);
        });
    }

    private Optional<TransferOutcome> immediateOutcome(TransferSpec spec) {
        try {
            Failure failure = TransferModel.failure(spec.source().uri());
            if (failure == Failure.MISSING) {
                return Optional.of(new TransferOutcome.Failed(model.mismatch(failure, spec.source().uri(), spec.checks())));
            }
            Optional<StoredFile> present = store.stat(spec.targetPath());
            Presence presence = Presence.of(present, spec.checks());
            return switch (presence.verdict()) {
                case PRESENT -> Optional.of(new TransferOutcome.Completed(present.get(), false, 0, Duration.ZERO));
                case CONFLICT -> Optional.of(new TransferOutcome.Failed(presence.detail()
                        + " (staging never overwrites a file)"));
                case ABSENT -> Optional.empty();
            };
        } catch (ProblemException refused) {
            return Optional.of(new TransferOutcome.Failed(refused.getMessage()));
        } catch (IOException e) {
            return Optional.of(new TransferOutcome.Failed("cannot look at the session folder: " + e.getMessage()));
        }
    }

    /** The timer of a running transfer: it passes or fails its checks now, and the next one may start. */
    private void finish(Job job) {
        List<Runnable> after = new ArrayList<>();
        TransferOutcome outcome;
        synchronized (this) {
            if (!active.remove(job.spec.taskId(), job)) {
                return; // cancelled meanwhile
            }
            outcome = verifyAndCommit(job);
            dispatch(after);
        }
        job.outcome.complete(outcome);
        after.forEach(Runnable::run);
    }

    private TransferOutcome verifyAndCommit(Job job) {
        TransferSpec spec = job.spec;
        Failure failure = TransferModel.failure(spec.source().uri());
        if (failure != Failure.NONE) {
            return new TransferOutcome.Failed(model.mismatch(failure, spec.source().uri(), spec.checks())
                    + "; the partial file was removed");
        }
        StoredFile file = model.arrived(spec.source().uri(), spec.checks());
        try (StagingStore.Upload upload = store.begin(spec.targetPath(), spec.taskId(), spec.checks().size(),
                spec.checks().md5())) {
            upload.commit(file);
        } catch (IOException e) {
            return new TransferOutcome.Failed("cannot record '" + spec.targetPath() + "': " + e.getMessage()
                    + " (staging never overwrites a file)");
        }
        return new TransferOutcome.Completed(file, true, file.size(), Duration.between(job.started, time.now()));
    }

    private boolean targetBusy(String target) {
        return active.values().stream().anyMatch(job -> job.spec.targetPath().equals(target));
    }

    private Job removeWaiting(String taskId) {
        for (Iterator<Job> it = waiting.iterator(); it.hasNext(); ) {
            Job job = it.next();
            if (job.spec.taskId().equals(taskId)) {
                it.remove();
                return job;
            }
        }
        return null;
    }
}
