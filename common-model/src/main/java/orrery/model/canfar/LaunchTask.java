package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code tasks.canfar.launch}: start a session. Idempotent by {@code taskId}: a redelivered
 * launch reports the session it already made.
 *
 * @param name session name, {@code [A-Za-z0-9-]+}
 * @param ram memory in GB
 * @param cmd the command (headless); never run through a shell
 * @param workdir the session folder the command runs in
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LaunchTask(
        @JsonProperty(required = true) String taskId,
        @JsonProperty(required = true) String executionId,
        @JsonProperty(required = true) String user,
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String image,
        @JsonProperty(required = true) SessionKind kind,
        @JsonProperty(required = true) int cores,
        @JsonProperty(required = true) int ram,
        String cmd,
        List<String> args,
        Map<String, String> env,
        String workdir) {

    public LaunchTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(kind, "kind");
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
