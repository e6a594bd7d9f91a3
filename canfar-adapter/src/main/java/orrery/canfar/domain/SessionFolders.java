package orrery.canfar.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves a session folder, given relative to the shared storage root, to a directory on this
 * machine, and refuses any that would lie outside the root (through {@code ..}, an absolute path
 * or a symbolic link).
 */
public final class SessionFolders {

    private final Path root;

    public SessionFolders(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The existing directory {@code workdir} names under the root. */
    public Path resolve(String workdir) {
        Path resolved = root.resolve(relative(workdir)).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw Refusals.invalidField("workdir", "workdir '" + workdir + "' escapes the storage root");
        }
        if (!Files.isDirectory(resolved)) {
            throw Refusals.invalid("workdir-missing", "The session folder does not exist",
                    "session folder '" + workdir + "' does not exist under the storage root " + root
                            + "; stage the session's files before launching it");
        }
        return real(workdir, resolved);
    }

    /** {@code workdir} as a relative path, or a refusal saying what it must be. */
    private static Path relative(String workdir) {
        if (workdir == null || workdir.isBlank()) {
            throw Refusals.invalidField("workdir", "workdir is required: the session folder relative to the storage "
                    + "root, e.g. home/alice/broker/<executionId>");
        }
        Path relative;
        try {
            relative = Path.of(workdir);
        } catch (InvalidPathException e) {
            throw Refusals.invalidField("workdir", "workdir '" + workdir + "' is not a valid path: " + e.getReason());
        }
        if (relative.isAbsolute()) {
            throw Refusals.invalidField("workdir", "workdir '" + workdir + "' must be relative to the storage root");
        }
        return relative;
    }

    /** The real path of {@code resolved}, refused when a symbolic link leads it out of the root. */
    private Path real(String workdir, Path resolved) {
        try {
            Path real = resolved.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw Refusals.invalidField("workdir", "workdir '" + workdir
                        + "' leads outside the storage root through a symbolic link");
            }
            return real;
        } catch (IOException e) {
            throw Refusals.invalid("workdir-missing", "The session folder cannot be read",
                    "session folder '" + workdir + "' cannot be read: " + e.getMessage());
        }
    }

    /** True if {@code file} is a regular file inside {@code folder}, without following links out of it. */
    public static boolean isInside(Path folder, Path file) {
        Path normal = file.normalize();
        return normal.startsWith(folder) && Files.isRegularFile(normal, LinkOption.NOFOLLOW_LINKS);
    }
}
