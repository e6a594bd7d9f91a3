package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code result} of a COMPLETED launch task: the session now exists (and runs or is pending). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LaunchResult(String sessionId, SessionStatus status, String connectUrl) {
}
