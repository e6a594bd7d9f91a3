package orrery.model.staging;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** {@code tasks.staging.directory}: create the session folder {@code /home/{user}/broker/{executionId}/}. */
public record DirectoryTask(
        @JsonProperty(required = true) String taskId,
        @JsonProperty(required = true) String user,
        @JsonProperty(required = true) String executionId) {

    public DirectoryTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(executionId, "executionId");
    }
}
