package orrery.deps.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /api/v1/builds}: bring {@code target} up to date. */
public record BuildRequest(
        @Schema(description = "The artefact to build: root/path (e.g. papers/paper.pdf) or its id", required = true)
        @JsonProperty(required = true) String target) {
}
