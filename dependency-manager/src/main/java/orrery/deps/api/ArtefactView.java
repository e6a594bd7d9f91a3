package orrery.deps.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code GET /api/v1/artefacts/{id}}: an artefact, what it is built from, and its last build. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtefactView(String id, String root, String path, String state, String sha256, String builder,
                           String recipe, String rule, boolean cyclic, List<InputView> inputs, List<String> usedBy,
                           LastBuild lastBuild) {

    /** An input, with the hash and state it has now. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputView(String id, String artefact, String state, String sha256) {
    }

    /** The last build of this artefact: which build and task, how it ended, and the end of its log. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LastBuild(String buildId, String taskId, String failure, String log) {
    }
}
