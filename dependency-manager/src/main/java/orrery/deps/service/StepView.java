package orrery.deps.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One artefact's progress in a build. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepView(String artefactId, String artefact, String status, int rounds, boolean changed, String sha256,
                       String taskId, String reason) {
}
