package orrery.model.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * An execution's phase change, on {@code events.execution.<executionId>}: its history is the
 * sequence of these. The envelope's Lamport clock orders them.
 *
 * @param previous the phase it left, or null for the first event
 * @param reason why, in words a person can act on (always set for FAILED and CANCELLED)
 * @param sessionId the science-platform session, once there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionEvent(
        @JsonProperty(required = true) String executionId,
        @JsonProperty(required = true) String phase,
        String previous,
        String reason,
        @JsonProperty(required = true) Instant at,
        String sessionId) {

    public ExecutionEvent {
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(at, "at");
    }
}
