package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One input of a build task and the content hash the manager planned with.
 *
 * @param sha256 null when the input does not exist (yet): a cyclic artefact on its first round
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildInput(@JsonProperty(required = true) String path, String sha256) {

    public BuildInput {
        RelativePaths.require(path, "path");
    }
}
