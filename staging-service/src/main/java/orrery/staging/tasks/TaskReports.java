package orrery.staging.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.staging.TransferResult;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.staging.store.StagingTaskEntity;

/** Turns task rows into the reports published on {@code events.task.<taskId>}. */
final class TaskReports {

    static final String TRANSFER = "staging.transfer";
    static final String DIRECTORY = "staging.directory";

    private TaskReports() {
    }

    static String kindOf(StagingTaskEntity row) {
        return "directory".equals(row.kind) ? DIRECTORY : TRANSFER;
    }

    static TaskEvent progress(StagingTaskEntity row) {
        return new TaskEvent(row.taskId, kindOf(row), TaskState.RUNNING, row.sequence,
                new TaskEvent.Progress(row.bytesDone, row.bytesTotal, "bytes"), null, null);
    }

    static TaskEvent fin(StagingTaskEntity row, EnvelopeCodec codec) {
        TaskState state = TaskState.valueOf(row.state);
        JsonNode result = null;
        if (state == TaskState.COMPLETED) {
            result = codec.tree(new TransferResult(row.targetPath, row.resultSize, row.resultMd5, row.resultSha256,
                    Boolean.TRUE.equals(row.transferred)));
        }
        return new TaskEvent(row.taskId, kindOf(row), state, row.sequence, null, result, row.reason);
    }
}
