package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * On {@code rules.howto} (request/reply): "how do I build {@code path} under {@code root}?". Only
 * builders that can build it answer; no answer at all means nobody can (the artefact is a source).
 */
public record HowToRequest(
        @JsonProperty(required = true) String root,
        @JsonProperty(required = true) String path) {

    public HowToRequest {
        Objects.requireNonNull(root, "root");
        RelativePaths.require(path, "path");
    }
}
