package orrery.deps.domain;

/**
 * Who may see a build. A build belongs to the user who asked for it; only they (and administrators)
 * see it, to anyone else it does not exist (404). A build the service started by itself because
 * files changed (trigger {@code change}) belongs to no user: the graph and its files are shared, so
 * any user may read it. A requested build with no recorded owner (stored before owners were kept)
 * is shown to administrators only.
 */
public final class BuildAccess {

    /** The trigger of a build the service started because source files changed. */
    public static final String SYSTEM_TRIGGER = "change";

    private BuildAccess() {
    }

    /**
     * Whether {@code viewer} (an administrator if {@code admin}) may read a build of {@code owner}
     * (null: no user) started by {@code trigger}.
     */
    public static boolean mayRead(String viewer, boolean admin, String owner, String trigger) {
        if (admin) {
            return true;
        }
        if (owner != null) {
            return owner.equals(viewer);
        }
        return SYSTEM_TRIGGER.equals(trigger);
    }
}
