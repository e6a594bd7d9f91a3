package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A session's status change, on {@code events.session.<sessionId>}.
 *
 * @param taskId the launch task that made the session
 * @param exitStatus the command's exit code once a headless session has ended, else null
 * @param message what the platform said, when it said something worth passing on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionEvent(
        @JsonProperty(required = true) String sessionId,
        String taskId,
        String executionId,
        @JsonProperty(required = true) SessionStatus status,
        Instant startTime,
        String connectUrl,
        Integer exitStatus,
        String message) {

    public SessionEvent {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
    }
}
