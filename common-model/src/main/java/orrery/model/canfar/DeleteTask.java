package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** {@code tasks.canfar.delete}: end a session. Deleting a session that is already gone succeeds. */
public record DeleteTask(
        @JsonProperty(required = true) String taskId,
        @JsonProperty(required = true) String sessionId) {

    public DeleteTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(sessionId, "sessionId");
    }
}
