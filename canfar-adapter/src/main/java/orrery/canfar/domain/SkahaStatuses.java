package orrery.canfar.domain;

import java.util.Locale;
import orrery.model.canfar.SessionStatus;

/**
 * Maps the status text skaha reports for a session (the Kubernetes pod phase, or its own words
 * for a pod that is being deleted or failing) onto ours.
 */
public final class SkahaStatuses {

    private SkahaStatuses() {
    }

    /** Our status for skaha's {@code status}, or null for one we do not know (keep the last one). */
    public static SessionStatus map(String status) {
        if (status == null) {
            return null;
        }
        return switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "pending", "containercreating", "podinitializing" -> SessionStatus.Pending;
            case "running" -> SessionStatus.Running;
            case "succeeded", "completed" -> SessionStatus.Succeeded;
            case "failed", "error", "crashloopbackoff", "imagepullbackoff", "errimagepull", "oomkilled" ->
                    SessionStatus.Failed;
            case "terminating" -> SessionStatus.Terminating;
            default -> null;
        };
    }
}
