package orrery.deps.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One server-sent event of a build ({@code GET /api/v1/builds/{id}/events}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildEventView(String buildId, long sequence, Instant time, String kind, String artefactId,
                             String artefact, Integer round, String sha256, Boolean changed, String message) {
}
