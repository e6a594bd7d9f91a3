package orrery.broker.domain;

import java.util.List;
import java.util.Map;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.VolumeMount;

/**
 * The session an execution will run: image, kind, for headless sessions the command (for a container, its
 * entrypoint and command), and the staged files a container sees at other paths ({@code mounts}).
 */
public record SessionSpec(SessionKind kind, String image, String cmd, List<String> args, Map<String, String> env,
                          List<VolumeMount> mounts) {

    public SessionSpec {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** A session without mounts. */
    public SessionSpec(SessionKind kind, String image, String cmd, List<String> args, Map<String, String> env) {
        this(kind, image, cmd, args, env, null);
    }

    /** The same session with {@code mounts}. */
    public SessionSpec withMounts(List<VolumeMount> mounts) {
        return new SessionSpec(kind, image, cmd, args, env, mounts);
    }
}
