package orrery.canfar.domain;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.VolumeMount;

/**
 * Which volume mounts a session may have: only a container session, at most {@link #MAX} of them,
 * each a staged file (a relative name in the session folder, never climbing out of it) at an
 * absolute, normalised path inside the container that is not the root, the session folder's own
 * {@code /session}, or the kernel's ({@code /proc}, {@code /sys}, {@code /dev}).
 */
public final class MountRules {

    static final int MAX = 64;
    private static final Set<Path> RESERVED = Set.of(Path.of("/"), Path.of("/session"), Path.of("/proc"), Path.of("/sys"),
            Path.of("/dev"));

    private MountRules() {
    }

    public static void check(SessionKind kind, List<VolumeMount> mounts) {
        if (mounts.isEmpty()) {
            return;
        }
        if (kind != SessionKind.container) {
            throw Refusals.invalidField("mounts", "volume mounts need a container session: a " + kind + " session sees its "
                    + "data in its folder (ORRERY_WORKDIR) under their names");
        }
        if (mounts.size() > MAX) {
            throw Refusals.invalidField("mounts", "at most " + MAX + " volume mounts, got " + mounts.size());
        }
        for (VolumeMount mount : mounts) {
            Path item = Path.of(mount.item()).normalize();
            if (mount.item().isBlank() || item.isAbsolute() || item.startsWith("..") || mount.item().indexOf('\0') >= 0) {
                throw Refusals.invalidField("mounts", "a mount's item is a file of the session folder, by its relative name; "
                        + "'" + mount.item() + "' is not");
            }
            Path path = Path.of(mount.path());
            boolean kernel = RESERVED.stream().anyMatch(reserved -> !reserved.equals(Path.of("/")) && path.startsWith(reserved));
            if (!path.isAbsolute() || !path.normalize().equals(path) || kernel || path.equals(Path.of("/"))
                    || mount.path().contains(":") || mount.path().contains(",")) {
                throw Refusals.invalidField("mounts", "a mount's path is an absolute, normalised path inside the container, "
                        + "not /, /session, /proc, /sys or /dev, without ':' or ','; '" + mount.path() + "' is not");
            }
        }
    }
}
