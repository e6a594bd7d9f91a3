package orrery.fswatch.domain;

import java.io.IOException;

/**
 * The operating system refused another watch. On Linux every watched folder takes one inotify
 * watch, limited per user by {@code fs.inotify.max_user_watches}; each watched root takes one
 * inotify instance, limited by {@code fs.inotify.max_user_instances}. The message says what to raise.
 */
public final class WatchLimitException extends IOException {

    static final String WATCHES_REACHED = "User limit of inotify watches reached";
    static final String INSTANCES_REACHED = "User limit of inotify instances reached";

    public WatchLimitException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code e} as a WatchLimitException if it is the kernel's "no more watches" error, else {@code e} itself. */
    public static IOException explain(IOException e, String folder) {
        String message = String.valueOf(e.getMessage());
        if (message.contains(WATCHES_REACHED) || message.contains("No space left on device")) {
            return new WatchLimitException("cannot watch " + folder + ": the inotify watch limit is reached ("
                    + message + "). Every watched folder takes one watch; raise fs.inotify.max_user_watches, e.g. "
                    + "'sysctl -w fs.inotify.max_user_watches=524288' and the same line in /etc/sysctl.d/90-inotify.conf "
                    + "to keep it, or exclude large folders from this root", e);
        }
        if (message.contains(INSTANCES_REACHED)) {
            return new WatchLimitException("cannot watch " + folder + ": the inotify instance limit is reached ("
                    + message + "). Each watched root takes one instance; raise fs.inotify.max_user_instances, e.g. "
                    + "'sysctl -w fs.inotify.max_user_instances=1024'", e);
        }
        return e;
    }
}
