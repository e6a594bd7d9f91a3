package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The {@code result} of a build task's final {@link orrery.model.task.TaskEvent}, for COMPLETED and
 * FAILED alike.
 *
 * @param outputs the target first, then any other files the recipe declares
 * @param exitCode the command's exit status (-1 when it could not be started or timed out)
 * @param log the end of the command's combined output, capped by the builder
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildResult(
        @JsonProperty(required = true) String root,
        @JsonProperty(required = true) String path,
        @JsonProperty(required = true) List<BuildOutput> outputs,
        int exitCode,
        String log,
        long durationMillis) {

    public BuildResult {
        Objects.requireNonNull(root, "root");
        RelativePaths.require(path, "path");
        outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
    }

    /** The hash of the target itself, or null if the build did not leave it. */
    public String targetSha256() {
        return outputs.stream().filter(o -> o.path().equals(path)).map(BuildOutput::sha256)
                .filter(Objects::nonNull).findFirst().orElse(null);
    }
}
