package orrery.staging.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.staging.TransferResult;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.staging.store.StagingTaskEntity;
import orrery.support.messaging.SafeContexts;
import orrery.support.messaging.TaskEventPublisher;

/**
 * Reports tasks on {@code events.task.<taskId>}: RUNNING with progress, then the final report,
 * which is published again (same envelope id, so the stream drops repeats) until the stream has
 * confirmed it and the row says so.
 */
@ApplicationScoped
class TaskReporter {

    static final String TRANSFER = "staging.transfer";
    static final String DIRECTORY = "staging.directory";

    private final TaskEventPublisher events;
    private final EnvelopeCodec codec;
    private final TaskLedger ledger;
    private final SafeContexts contexts;

    @Inject
    TaskReporter(TaskEventPublisher events, EnvelopeCodec codec, TaskLedger ledger, SafeContexts contexts) {
        this.events = events;
        this.codec = codec;
        this.ledger = ledger;
        this.contexts = contexts;
    }

    Uni<Void> progress(StagingTaskEntity row) {
        TaskEvent event = new TaskEvent(row.taskId, kindOf(row), TaskState.RUNNING, row.sequence,
                new TaskEvent.Progress(row.bytesDone, row.bytesTotal, "bytes"), null, null);
        return events.publish(event, row.correlationId).replaceWithVoid();
    }

    /** Publishes a finished task's report and records that the stream confirmed it. */
    Uni<Void> publishFinal(StagingTaskEntity row) {
        return events.publish(finalEvent(row), row.correlationId)
                .chain(() -> contexts.run(() -> ledger.markPublished(row.taskId)));
    }

    /** Publishes each of {@code rows}' final reports; one that fails is left for the next time. */
    Uni<Void> publishFinals(List<StagingTaskEntity> rows) {
        return Uni.join().all(rows.stream().map(this::publishFinal).toList()).andCollectFailures()
                .onItem().ignore().andContinueWithNull()
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private TaskEvent finalEvent(StagingTaskEntity row) {
        TaskState state = TaskState.valueOf(row.state);
        JsonNode result = null;
        if (state == TaskState.COMPLETED) {
            result = codec.tree(new TransferResult(row.targetPath, row.resultSize, row.resultMd5, row.resultSha256,
                    Boolean.TRUE.equals(row.transferred)));
        }
        return new TaskEvent(row.taskId, kindOf(row), state, row.sequence, finalProgress(row, state), result, row.reason);
    }

    /** A transfer's last progress: every byte once it completed, else as far as it got; none for a folder. */
    private static TaskEvent.Progress finalProgress(StagingTaskEntity row, TaskState state) {
        if (row.isDirectory()) {
            return null;
        }
        Long total = row.bytesTotal != null ? row.bytesTotal : row.resultSize;
        long done = state == TaskState.COMPLETED && row.resultSize != null ? row.resultSize : row.bytesDone;
        return new TaskEvent.Progress(done, total, "bytes");
    }

    private static String kindOf(StagingTaskEntity row) {
        return row.isDirectory() ? DIRECTORY : TRANSFER;
    }
}
