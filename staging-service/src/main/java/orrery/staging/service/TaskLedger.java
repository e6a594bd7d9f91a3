package orrery.staging.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import orrery.model.problem.ProblemException;
import orrery.model.task.TaskState;
import orrery.model.time.TimeSource;
import orrery.staging.store.StagingTaskEntity;
import orrery.staging.store.StagingTasks;

/**
 * The steps that change {@code staging_task}, one transaction each, on the row locked for update:
 * admitting a command, cancelling, recording progress and the end. Progress and the end are
 * recorded only while the row still says this instance runs the task.
 */
@ApplicationScoped
class TaskLedger {

    /** What to do once an admitted command's row is committed. */
    enum Action { LAUNCH, PUBLISH_FINAL, NONE }

    /** A command's row and what to do with it. */
    record Admission(StagingTaskEntity row, Action action) {
    }

    /** Makes the row of a new command; a {@link ProblemException} refuses the command. */
    @FunctionalInterface
    interface RowFactory {
        StagingTaskEntity create();
    }

    private final StagingTasks tasks;
    private final TaskLeases leases;
    private final TimeSource time;

    @Inject
    TaskLedger(StagingTasks tasks, TaskLeases leases, TimeSource time) {
        this.tasks = tasks;
        this.leases = leases;
        this.time = time;
    }

    /**
     * Admits a command idempotently by task id: a new one gets its row ({@code valid}, leased here, or when that
     * refuses it, {@code refused} ended as FAILED); a known one must be the same command again (else a 409) and is
     * answered from its row.
     */
    @WithTransaction
    Uni<Admission> admit(String taskId, TaskCommand command, String label, RowFactory valid, RowFactory refused) {
        return tasks.lock(taskId).chain(existing -> {
            if (existing != null) {
                command.requireSameAs(existing, label);
                return Uni.createFrom().item(new Admission(existing, again(existing)));
            }
            Admission first = first(valid, refused);
            return first.row().<StagingTaskEntity>persist().map(saved -> new Admission(saved, first.action()));
        });
    }

    /** A known command again: publish its end again, leave it to whoever runs it, or take it over. */
    private Action again(StagingTaskEntity row) {
        if (!row.isRunning()) {
            return Action.PUBLISH_FINAL;
        }
        if (leases.runsHere(row.taskId) || !leases.mayTake(row)) {
            return Action.NONE; // running here already, or another live instance is on it
        }
        leases.claim(row);
        return Action.LAUNCH;
    }

    private Admission first(RowFactory valid, RowFactory refused) {
        try {
            StagingTaskEntity row = valid.create();
            leases.claim(row);
            return new Admission(row, Action.LAUNCH);
        } catch (ProblemException refusal) {
            StagingTaskEntity row = refused.create();
            row.targetPath = row.targetPath == null ? "" : row.targetPath;
            row.end(TaskState.FAILED, refusal.getMessage(), time.now());
            return new Admission(row, Action.PUBLISH_FINAL);
        }
    }

    /**
     * Ends a running task as cancelled, or leaves a tombstone for a task not seen yet so that its command, if it comes
     * later, does nothing. Yields the row whose end to publish, or null when there is none (it had ended already).
     */
    @WithTransaction
    Uni<StagingTaskEntity> cancel(String taskId, String correlationId) {
        return tasks.lock(taskId).chain(row -> {
            if (row == null) {
                return StagingTaskEntity.tombstone(taskId, correlationId, time.now()).<StagingTaskEntity>persist();
            }
            if (!row.isRunning()) {
                return Uni.createFrom().<StagingTaskEntity>nullItem();
            }
            row.end(TaskState.CANCELLED, "cancelled on request", time.now());
            return Uni.createFrom().item(row);
        });
    }

    /** Records how far a task has got and renews its lease; null when this instance no longer runs it. */
    @WithTransaction
    Uni<StagingTaskEntity> recordProgress(String taskId, long done, Long total) {
        return tasks.lock(taskId).map(row -> {
            if (!stillMine(row)) {
                return null;
            }
            row.sequence++;
            row.bytesDone = done;
            row.bytesTotal = total;
            leases.claim(row);
            row.updatedAt = time.now();
            return row;
        });
    }

    /** Records how a task ended; null when this instance no longer runs it (cancelled meanwhile, or taken over). */
    @WithTransaction
    Uni<StagingTaskEntity> recordEnd(String taskId, FinalState state) {
        return tasks.lock(taskId).map(row -> {
            if (!stillMine(row)) {
                return null;
            }
            if (state.file() != null) {
                row.resultSize = state.file().size();
                row.resultMd5 = state.file().md5();
                row.resultSha256 = state.file().sha256();
                row.bytesDone = state.file().size();
            }
            row.transferred = state.transferred();
            row.end(state.state(), state.reason(), time.now());
            return row;
        });
    }

    private boolean stillMine(StagingTaskEntity row) {
        return row != null && row.isRunning() && leases.isMine(row);
    }

    /** Records that the stream confirmed the task's final report. */
    @WithTransaction
    Uni<Void> markPublished(String taskId) {
        return tasks.markFinalPublished(taskId).replaceWithVoid();
    }

    @WithSession
    Uni<StagingTaskEntity> find(String taskId) {
        return tasks.findById(taskId);
    }

    @WithSession
    Uni<List<StagingTaskEntity>> listByIds(List<String> taskIds) {
        return tasks.listByIds(taskIds);
    }

    /** Finished tasks whose final report the stream has not confirmed yet, oldest first. */
    @WithSession
    Uni<List<StagingTaskEntity>> unpublishedFinals(int limit) {
        return tasks.unpublishedFinals(limit);
    }
}
