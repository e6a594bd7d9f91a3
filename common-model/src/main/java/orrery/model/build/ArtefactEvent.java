package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * On {@code events.artefact.<artefactId>}: an artefact's content or state changed.
 *
 * @param state the dependency manager's state name, e.g. {@code UP_TO_DATE}, {@code FAILED}
 * @param buildId the build that made the change, or null for a change seen on disk
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtefactEvent(
        @JsonProperty(required = true) String artefactId,
        @JsonProperty(required = true) String root,
        @JsonProperty(required = true) String path,
        String sha256,
        String previousSha256,
        @JsonProperty(required = true) String state,
        String buildId) {

    public ArtefactEvent {
        Objects.requireNonNull(artefactId, "artefactId");
        Objects.requireNonNull(root, "root");
        RelativePaths.require(path, "path");
        Objects.requireNonNull(state, "state");
    }
}
