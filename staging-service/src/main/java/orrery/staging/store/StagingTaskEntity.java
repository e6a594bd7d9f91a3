package orrery.staging.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import orrery.model.task.TaskState;

/**
 * One row of {@code staging_task}: a task, its state, its lease and its result. Columns are named
 * by the naming strategy ({@code taskId} is {@code task_id}).
 */
@Entity
@Table(name = "staging_task")
public class StagingTaskEntity extends PanacheEntityBase {

    /** {@link #kind} of a task that fetches one item into the session folder. */
    public static final String TRANSFER = "transfer";

    /** {@link #kind} of a task that creates the session folder. */
    public static final String DIRECTORY = "directory";

    /** User and execution of the row a cancel leaves for a task it has not seen yet. */
    private static final String TOMBSTONE = "-";

    @Id
    public String taskId;

    public String kind;

    public String userName;

    public String executionId;

    public String itemName;

    public String itemUrl;

    public Long expectedSize;

    public String expectedMd5;

    public String targetPath;

    /** The taskId a REST caller gave, if any (the row's id is derived from it and the user). */
    public String clientTaskId;

    public String correlationId;

    public String state;

    public long sequence;

    public long bytesDone;

    public Long bytesTotal;

    public Long resultSize;

    public String resultMd5;

    public String resultSha256;

    public Boolean transferred;

    public String reason;

    public boolean finalPublished;

    public String owner;

    public Instant leaseUntil;

    public Instant createdAt;

    public Instant updatedAt;

    /** A new task, RUNNING and not yet leased. */
    public static StagingTaskEntity running(String taskId, String kind, String user, String executionId,
                                            String correlationId, Instant now) {
        StagingTaskEntity row = new StagingTaskEntity();
        row.taskId = taskId;
        row.kind = kind;
        row.userName = user;
        row.executionId = executionId;
        row.correlationId = correlationId;
        row.state = TaskState.RUNNING.name();
        row.sequence = 0;
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    /** What a cancel leaves for a task whose command has not come yet: that command, when it comes, does nothing. */
    public static StagingTaskEntity tombstone(String taskId, String correlationId, Instant now) {
        StagingTaskEntity row = running(taskId, TRANSFER, TOMBSTONE, TOMBSTONE, correlationId, now);
        row.targetPath = "";
        row.end(TaskState.CANCELLED, "cancelled before it started", now);
        return row;
    }

    /** Whether this row is a {@link #tombstone}: any command with its id is the one that was cancelled. */
    public boolean isTombstone() {
        return TOMBSTONE.equals(userName) && TOMBSTONE.equals(executionId);
    }

    public boolean isRunning() {
        return TaskState.RUNNING.name().equals(state);
    }

    public boolean isDirectory() {
        return DIRECTORY.equals(kind);
    }

    /** Ends the task: its final state and reason, no owner, and its final report still to publish. */
    public void end(TaskState finalState, String why, Instant now) {
        state = finalState.name();
        reason = why;
        sequence++;
        owner = null;
        leaseUntil = null;
        finalPublished = false;
        updatedAt = now;
        if (createdAt == null) {
            createdAt = now;
        }
    }
}
