package orrery.staging.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.StagingItem;
import orrery.model.staging.TransferTask;
import orrery.staging.store.StagingTaskEntity;

/** What a command asks for: two commands with one task id must agree on all of it. */
record TaskCommand(String kind, String user, String executionId, String itemName, String itemUrl,
                   Long expectedSize, String expectedMd5) {

    static TaskCommand transfer(TransferTask task) {
        StagingItem item = task.item();
        return new TaskCommand(StagingTaskEntity.TRANSFER, task.user(), task.executionId(), item.name(), item.url(),
                item.checks().size(), item.checks().md5());
    }

    static TaskCommand directory(DirectoryTask task) {
        return new TaskCommand(StagingTaskEntity.DIRECTORY, task.user(), task.executionId(), null, null, null, null);
    }

    /** A new RUNNING row for this command; its target path is the caller's to set. */
    StagingTaskEntity newRow(String taskId, String correlationId, String clientTaskId, Instant now) {
        StagingTaskEntity row = StagingTaskEntity.running(taskId, kind, user, executionId, correlationId, now);
        row.clientTaskId = clientTaskId;
        row.itemName = itemName;
        row.itemUrl = itemUrl;
        row.expectedSize = expectedSize;
        row.expectedMd5 = expectedMd5;
        row.bytesTotal = expectedSize;
        return row;
    }

    /**
     * Refuses (409) when {@code row}, stored under the id {@code label} names, holds a different command: a command
     * is never answered with another command's result.
     */
    void requireSameAs(StagingTaskEntity row, String label) {
        List<String> fields = differences(row);
        if (!fields.isEmpty()) {
            throw new ProblemException(Problem.of("conflict", 409, "The id is taken by a different command",
                    label + " is already used by a different command (it differs in " + String.join(", ", fields)
                            + "); a command is repeated with the same id only when its content is the same: "
                            + "use a new id for a new command"));
        }
    }

    /** The fields in which {@code row} differs from this command (empty: the same command again). */
    private List<String> differences(StagingTaskEntity row) {
        List<String> fields = new ArrayList<>();
        if (row.isTombstone()) {
            return fields; // cancelled before its command came: any command with the id is that command
        }
        differ(fields, "kind", kind, row.kind);
        differ(fields, "user", user, row.userName);
        differ(fields, "executionId", executionId, row.executionId);
        differ(fields, "item.name", itemName, row.itemName);
        differ(fields, "item.url", itemUrl, row.itemUrl);
        differ(fields, "item.checks.size", expectedSize, row.expectedSize);
        differ(fields, "item.checks.md5", expectedMd5, row.expectedMd5);
        return fields;
    }

    private static void differ(List<String> fields, String name, Object mine, Object stored) {
        if (!Objects.equals(mine, stored)) {
            fields.add(name);
        }
    }
}
