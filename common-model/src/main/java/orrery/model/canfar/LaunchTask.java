package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code tasks.canfar.launch}: start a session. Idempotent by {@code taskId}: a redelivered
 * launch reports the session it already made.
 *
 * @param user whose session it is; only this user sees and ends it through the REST API
 * @param name session name, {@code [A-Za-z0-9-]+}
 * @param ram memory in GB
 * @param cmd the command (headless), or the notebook to execute (notebook, optional when the
 *            session folder holds exactly one {@code .ipynb}); never run through a shell
 * @param args the command's arguments, one element per argument
 * @param env environment variables for the command; names {@code [A-Za-z_][A-Za-z0-9_]*}
 * @param workdir the session folder, relative to the shared storage root
 *                (e.g. {@code home/alice/broker/<executionId>}); it may not escape that root
 * @param until when the booking ends, or null: the adapter renews a platform session whose
 *              expiry would come before it (the broker still ends the session with a delete)
 * @param mounts staged files to make appear at other paths (container sessions only); empty for none
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
        String workdir,
        Instant until,
        List<VolumeMount> mounts) {

    public LaunchTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(executionId, "executionId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(kind, "kind");
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** A launch without mounts. */
    public LaunchTask(String taskId, String executionId, String user, String name, String image, SessionKind kind,
                      int cores, int ram, String cmd, List<String> args, Map<String, String> env, String workdir, Instant until) {
        this(taskId, executionId, user, name, image, kind, cores, ram, cmd, args, env, workdir, until, null);
    }

    /** A launch without a booking end (the session lives until it is deleted or expires). */
    public LaunchTask(String taskId, String executionId, String user, String name, String image, SessionKind kind,
                      int cores, int ram, String cmd, List<String> args, Map<String, String> env, String workdir) {
        this(taskId, executionId, user, name, image, kind, cores, ram, cmd, args, env, workdir, null, null);
    }
}
