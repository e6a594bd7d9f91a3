package orrery.staging.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.StagingItem;
import orrery.model.staging.TransferTask;
import orrery.model.time.TimeSource;
import orrery.staging.domain.SessionPaths;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.service.TaskLedger.Admission;
import orrery.staging.service.TaskLedger.RowFactory;
import orrery.staging.service.transfer.TransferEngine;
import orrery.staging.store.StagingTaskEntity;

/**
 * Where staging tasks come in, from the broker (NATS) and from people (REST): accepts commands
 * idempotently by task id, cancels, and looks tasks up.
 *
 * <p>A command is acknowledged once its row is written; the row, not the message, is the
 * promise. A new command's row is leased by this instance and the task started here
 * ({@link TaskRunner}); a refused one (bad name, disallowed source) is a FAILED task at once; a
 * repeated one is answered from its row ({@link TaskLedger#admit}). What keeps tasks alive
 * across instances (lease renewal, take-over, re-publishing final reports) is
 * {@link Housekeeping}'s.
 */
@ApplicationScoped
public class StagingCoordinator {

    private final TaskLedger ledger;
    private final TaskRunner runner;
    private final TaskReporter reporter;
    private final TransferEngine engine;
    private final SourcePolicy policy;
    private final TimeSource time;

    @Inject
    StagingCoordinator(TaskLedger ledger, TaskRunner runner, TaskReporter reporter, TransferEngine engine,
                       SourcePolicy policy, TimeSource time) {
        this.ledger = ledger;
        this.runner = runner;
        this.reporter = reporter;
        this.engine = engine;
        this.policy = policy;
        this.time = time;
    }

    /** Accepts {@code tasks.staging.transfer}; idempotent by task id, refused (409) when the id holds a different command. */
    public Uni<StagingTaskEntity> acceptTransfer(TransferTask task, String correlationId) {
        return acceptTransfer(task, correlationId, null, "task id " + task.taskId());
    }

    /**
     * Accepts a transfer started over REST, whose id the service chose ({@code TransferIds}); the
     * caller's own taskId is kept beside it. A retry with the same content gets the same transfer;
     * the same taskId with different content is a 409.
     */
    public Uni<StagingTaskEntity> acceptRestTransfer(TransferTask task, String clientTaskId) {
        return acceptTransfer(task, task.taskId(), clientTaskId,
                clientTaskId == null ? "transfer id " + task.taskId() : "taskId '" + clientTaskId + "'");
    }

    private Uni<StagingTaskEntity> acceptTransfer(TransferTask task, String correlationId, String clientTaskId,
                                                  String label) {
        TaskCommand command = TaskCommand.transfer(task);
        StagingItem item = task.item();
        RowFactory refused = () -> command.newRow(task.taskId(), correlationId, clientTaskId, time.now());
        return accept(task.taskId(), command, label, () -> {
            StagingTaskEntity row = refused.create();
            row.targetPath = SessionPaths.file(task.user(), task.executionId(), item.name());
            policy.check(item.url());
            return row;
        }, refused);
    }

    /** Accepts {@code tasks.staging.directory}; idempotent by task id, refused (409) when the id holds a different command. */
    public Uni<StagingTaskEntity> acceptDirectory(DirectoryTask task, String correlationId) {
        TaskCommand command = TaskCommand.directory(task);
        RowFactory refused = () -> command.newRow(task.taskId(), correlationId, null, time.now());
        return accept(task.taskId(), command, "task id " + task.taskId(), () -> {
            StagingTaskEntity row = refused.create();
            row.targetPath = SessionPaths.folder(task.user(), task.executionId());
            return row;
        }, refused);
    }

    private Uni<StagingTaskEntity> accept(String taskId, TaskCommand command, String label, RowFactory valid,
                                          RowFactory refused) {
        return ledger.admit(taskId, command, label, valid, refused)
                .chain(admission -> act(admission).replaceWith(admission.row()));
    }

    private Uni<Void> act(Admission admission) {
        return switch (admission.action()) {
            case LAUNCH -> {
                runner.launch(admission.row());
                yield Uni.createFrom().voidItem();
            }
            case PUBLISH_FINAL -> reporter.publishFinal(admission.row());
            case NONE -> Uni.createFrom().voidItem();
        };
    }

    /**
     * Cancels a task: a running one stops and removes its partial file; one not seen yet is
     * recorded as cancelled so that its command, if it arrives later, does nothing.
     */
    public Uni<Void> cancel(String taskId, String correlationId) {
        return ledger.cancel(taskId, correlationId).chain(row -> {
            engine.cancel(taskId);
            return row == null ? Uni.createFrom().voidItem() : reporter.publishFinal(row);
        });
    }

    public Uni<StagingTaskEntity> find(String taskId) {
        return ledger.find(taskId);
    }
}
