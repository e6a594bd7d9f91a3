package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The {@code result} of a COMPLETED delete task: the session has ended.
 *
 * @param status how it ended: Terminated when the delete ended it, Succeeded or Failed when it had
 *               already ended by itself (or Terminated when it was unknown or already gone)
 * @param exitStatus the command's exit status when the platform knows it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeleteResult(
        @JsonProperty(required = true) String sessionId,
        @JsonProperty(required = true) SessionStatus status,
        Integer exitStatus) {

    public DeleteResult {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
    }
}
