package orrery.model.staging;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** {@code tasks.staging.transfer}: fetch one item into the session folder and verify it. */
public record TransferTask(
        @JsonProperty(required = true) String taskId,
        @JsonProperty(required = true) String user,
        @JsonProperty(required = true) String executionId,
        @JsonProperty(required = true) StagingItem item) {

    public TransferTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(item, "item");
    }
}
