package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import orrery.model.messaging.Subjects;

/**
 * Command on {@code tasks.build.<builder>}: build {@code path} under {@code root}. The envelope id
 * is the task id, so a re-dispatch of the same step is dropped by the stream, and the builder
 * answers a redelivered task with the same result. The builder reports on
 * {@code events.task.<taskId>} as a {@link orrery.model.task.TaskEvent} of kind {@link #KIND}
 * whose result is a {@link BuildResult}.
 *
 * @param round 1 for an acyclic artefact; inside a cycle, the fixed-point round
 */
public record BuildTask(
        @JsonProperty(required = true) String taskId,
        @JsonProperty(required = true) String buildId,
        @JsonProperty(required = true) String root,
        @JsonProperty(required = true) String path,
        @JsonProperty(required = true) List<BuildInput> inputs,
        @JsonProperty(required = true) String recipe,
        @JsonProperty(required = true) int round) {

    /** The {@code kind} of the task events that answer a build task. */
    public static final String KIND = "build";

    public BuildTask {
        if (!Subjects.isToken(taskId)) {
            throw new IllegalArgumentException("taskId '" + taskId + "' must be one subject token");
        }
        Objects.requireNonNull(buildId, "buildId");
        if (!Subjects.isToken(root)) {
            throw new IllegalArgumentException("root '" + root + "' must be one subject token");
        }
        RelativePaths.require(path, "path");
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        Objects.requireNonNull(recipe, "recipe");
        if (round < 1) {
            throw new IllegalArgumentException("round starts at 1, was " + round);
        }
    }
}
