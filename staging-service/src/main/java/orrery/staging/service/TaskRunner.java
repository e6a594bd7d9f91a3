package orrery.staging.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionException;
import orrery.model.staging.Checks;
import orrery.model.time.TimeSource;
import orrery.staging.backend.storage.StagingStore;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.TransferRate;
import orrery.staging.service.transfer.TransferEngine;
import orrery.staging.service.transfer.TransferOutcome;
import orrery.staging.service.transfer.TransferSpec;
import orrery.staging.store.StagingTaskEntity;
import orrery.staging.store.TransferRates;
import orrery.support.messaging.SafeContexts;
import org.jboss.logging.Logger;

/**
 * Runs tasks leased here: a directory task creates the session folder on a transfer worker, a
 * transfer task goes to the {@link TransferEngine}. Progress and the end are recorded in the
 * task's row, then reported; a progress report that finds the row no longer this instance's
 * (cancelled, or taken over) stops the transfer here. A completed transfer's rate is folded into
 * its source host's average, for quotes.
 */
@ApplicationScoped
class TaskRunner {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);

    private final TransferEngine engine;
    private final SourcePolicy policy;
    private final StagingStore store;
    private final TaskLedger ledger;
    private final TaskReporter reporter;
    private final TaskLeases leases;
    private final TransferRates rates;
    private final SafeContexts contexts;
    private final TimeSource time;

    @Inject
    TaskRunner(TransferEngine engine, SourcePolicy policy, StagingStore store, TaskLedger ledger, TaskReporter reporter,
               TaskLeases leases, TransferRates rates, SafeContexts contexts, TimeSource time) {
        this.engine = engine;
        this.policy = policy;
        this.store = store;
        this.ledger = ledger;
        this.reporter = reporter;
        this.leases = leases;
        this.rates = rates;
        this.contexts = contexts;
        this.time = time;
    }

    /** Starts the task of {@code row}, whose lease this instance holds; returns at once. */
    void launch(StagingTaskEntity row) {
        if (row.isDirectory()) {
            createFolder(row.taskId, row.targetPath);
        } else {
            transfer(row);
        }
    }

    private void createFolder(String taskId, String folder) {
        leases.directoryStarted(taskId);
        engine.onWorker(() -> {
            store.ensureFolder(folder);
            return FinalState.completed();
        }).exceptionally(failure -> FinalState.failed(describe(failure)))
                .thenAccept(state -> finish(taskId, state).subscribe().with(
                        ignored -> leases.directoryEnded(taskId),
                        failure -> {
                            leases.directoryEnded(taskId);
                            LOG.errorf(failure, "cannot record the end of task %s", taskId);
                        }));
    }

    private void transfer(StagingTaskEntity row) {
        String taskId = row.taskId;
        TransferSpec spec = new TransferSpec(taskId, row.targetPath, policy.check(row.itemUrl),
                new Checks(row.expectedSize, row.expectedMd5));
        engine.submit(spec, (done, total) -> progress(taskId, done, total))
                .thenAccept(outcome -> finish(taskId, FinalState.of(outcome))
                        .chain(() -> recordRate(spec.source().host(), outcome))
                        .subscribe().with(ignored -> { }, failure ->
                                LOG.errorf(failure, "cannot record the end of task %s; housekeeping will retry", taskId)));
    }

    private void progress(String taskId, long done, Long total) {
        contexts.run(() -> ledger.recordProgress(taskId, done, total))
                .chain(row -> row != null ? reporter.progress(row) : stopHere(taskId))
                .subscribe().with(ignored -> { }, failure -> LOG.debugf("progress report of %s failed: %s", taskId,
                        failure.getMessage()));
    }

    /** The row says the task is no longer this instance's to run. */
    private Uni<Void> stopHere(String taskId) {
        if (engine.cancel(taskId)) {
            LOG.infof("task %s was cancelled or taken over; stopped here", taskId);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> finish(String taskId, FinalState state) {
        return contexts.run(() -> ledger.recordEnd(taskId, state))
                .chain(row -> row == null ? Uni.createFrom().voidItem() : reporter.publishFinal(row));
    }

    private Uni<Void> recordRate(String host, TransferOutcome outcome) {
        if (outcome instanceof TransferOutcome.Completed done && done.transferred()
                && TransferRate.isSample(done.fetched(), done.elapsed())) {
            double sample = TransferRate.sample(done.fetched(), done.elapsed());
            return contexts.run(() -> rates.record(host, sample, time.now()));
        }
        return Uni.createFrom().voidItem();
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
