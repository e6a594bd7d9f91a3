package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A file a build left behind, with its content hash.
 *
 * @param sha256 lower-case hex SHA-256 of the content, or null when the build did not produce it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildOutput(@JsonProperty(required = true) String path, String sha256, long size) {

    public BuildOutput {
        RelativePaths.require(path, "path");
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 of " + path + " must be 64 lower-case hex digits");
        }
    }
}
