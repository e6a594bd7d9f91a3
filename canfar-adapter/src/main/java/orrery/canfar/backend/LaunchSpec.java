package orrery.canfar.backend;

import java.util.List;
import java.util.Map;
import orrery.canfar.domain.SessionNames;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.VolumeMount;

/**
 * A launch that passed the common rules, with the session id the adapter chose for it and the
 * platform-safe name made from the name asked for ({@link SessionNames}).
 */
public record LaunchSpec(String sessionId, String executionId, String user, String name, String image,
                         SessionKind kind, int cores, int ram, String cmd, List<String> args,
                         Map<String, String> env, String workdir, List<VolumeMount> mounts) {

    public LaunchSpec {
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** A launch without mounts. */
    public LaunchSpec(String sessionId, String executionId, String user, String name, String image, SessionKind kind, int cores,
                      int ram, String cmd, List<String> args, Map<String, String> env, String workdir) {
        this(sessionId, executionId, user, name, image, kind, cores, ram, cmd, args, env, workdir, null);
    }

    public static LaunchSpec of(String sessionId, LaunchTask task) {
        return new LaunchSpec(sessionId, task.executionId(), task.user(), SessionNames.safe(task.name()), task.image(), task.kind(),
                task.cores(), task.ram(), task.cmd(), task.args(), task.env(), task.workdir(), task.mounts());
    }
}
