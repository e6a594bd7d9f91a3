package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The bubblewrap ({@code bwrap}) command line that fences one local session in: the system read-only,
 * fresh {@code /dev} and {@code /proc}, the hidden folders replaced by empty tmpfs mounts, and the
 * session folder, at its own path, the only place it can write besides its private {@code /tmp}.
 *
 * <p>The path to the session folder is rebuilt inside the topmost hidden folder above it with
 * traversable (0755) folders, so the session account reaches its folder even when a folder on the way
 * is closed to it (a 0700 temporary folder); such a closed folder is hidden too, which takes nothing
 * from the session that it could have read. A new PID namespace keeps the session from seeing (or
 * signalling) any process outside it, and {@code --die-with-parent} takes the whole sandbox down with
 * the process that started it. The sandbox does not call {@code setsid}, so the adapter's signals to
 * the session's process group reach every process in it.
 *
 * <p>Building the line walks the path to the session folder once, looking each step up among the sorted
 * hidden paths, then keeps only the outermost of nested hidden paths: O(d log h + h²) for a folder d
 * levels deep and h hidden paths (both a handful).
 */
final class Sandbox {

    /** Folders where every program expects to write: hidden behind a private, sticky, world-writable tmpfs. */
    static final Set<Path> SCRATCH = Set.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/dev/shm"));

    private Sandbox() {
    }

    /**
     * The {@code bwrap} arguments up to and including {@code --}, for a session in {@code folder}
     * (an absolute, real path). {@code hidden} are absolute, real paths to hide (those that do not exist
     * are skipped); {@code traversable} tells whether the session account may pass through a folder.
     */
    static List<String> arguments(Path bwrap, Path folder, Collection<Path> hidden, Predicate<Path> traversable) {
        TreeSet<Path> hide = existing(hidden);
        Path rebuiltFrom = rebuiltFrom(folder, hide, traversable);
        List<String> args = new ArrayList<>(List.of(bwrap.toString(), "--ro-bind", "/", "/", "--dev", "/dev",
                "--proc", "/proc"));
        args.addAll(hiding(folder, hide, rebuiltFrom));
        if (rebuiltFrom != null) {
            args.addAll(wayTo(folder, rebuiltFrom));
        }
        args.addAll(List.of("--bind", folder.toString(), folder.toString(), "--chdir", folder.toString(),
                "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--"));
        return args;
    }

    /** The paths of {@code hidden} that exist (links not followed), sorted so that a folder comes before what it holds. */
    private static TreeSet<Path> existing(Collection<Path> hidden) {
        TreeSet<Path> hide = new TreeSet<>();
        for (Path path : hidden) {
            Path normal = path.toAbsolutePath().normalize();
            if (normal.getParent() != null && Files.exists(normal, LinkOption.NOFOLLOW_LINKS)) {
                hide.add(normal);
            }
        }
        return hide;
    }

    /**
     * The topmost hidden folder on the way to the session folder, or the first one closed to the session
     * (which is then hidden too); null when the way is open and nothing on it is hidden.
     */
    private static Path rebuiltFrom(Path folder, TreeSet<Path> hide, Predicate<Path> traversable) {
        for (Path step = folder.getRoot(); step != null && !step.equals(folder); step = next(step, folder)) {
            if (step.getParent() == null) {
                continue;
            }
            if (hide.contains(step) && Files.isDirectory(step, LinkOption.NOFOLLOW_LINKS)) {
                return step;
            }
            if (!traversable.test(step)) {
                hide.add(step);
                return step;
            }
        }
        return null;
    }

    /** An empty tmpfs over each hidden folder, {@code /dev/null} over each hidden file. */
    private static List<String> hiding(Path folder, TreeSet<Path> hide, Path rebuiltFrom) {
        List<String> args = new ArrayList<>();
        for (Path path : outermost(hide)) {
            if (folder.startsWith(path) && !path.equals(rebuiltFrom)) {
                continue; // a hidden file or link on the way: never, the way is made of folders
            }
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                args.addAll(List.of("--perms", SCRATCH.contains(path) ? "1777" : "0755", "--tmpfs", path.toString()));
            } else {
                args.addAll(List.of("--ro-bind", "/dev/null", path.toString()));
            }
        }
        return args;
    }

    /** Traversable folders from below {@code rebuiltFrom} down to (not including) the session folder. */
    private static List<String> wayTo(Path folder, Path rebuiltFrom) {
        List<String> args = new ArrayList<>();
        for (Path step = next(rebuiltFrom, folder); !step.equals(folder); step = next(step, folder)) {
            args.addAll(List.of("--perms", "0755", "--dir", step.toString()));
        }
        return args;
    }

    /** A minimal sandbox that runs {@code program}, to learn whether bwrap works on this machine at all. */
    static List<String> probe(Path bwrap, Path program) {
        return List.of(bwrap.toString(), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--perms", "1777", "--tmpfs", "/tmp", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--",
                program.toString());
    }

    /** The hidden paths no other hidden path contains (a tmpfs over a folder hides everything in it). */
    private static List<Path> outermost(TreeSet<Path> hide) {
        List<Path> outer = new ArrayList<>();
        for (Path path : hide) {
            if (outer.stream().noneMatch(path::startsWith)) {
                outer.add(path);
            }
        }
        return outer;
    }

    /** The next folder from {@code from} towards {@code to} (which lies below it). */
    private static Path next(Path from, Path to) {
        return from.resolve(from.relativize(to).getName(0));
    }

    /** Whether a user of {@code uid} in group {@code gid} may pass through {@code folder}. */
    static boolean traversable(Path folder, long uid, long gid) {
        if (uid == 0) {
            return true;
        }
        try {
            Map<String, Object> attributes = Files.readAttributes(folder, "unix:mode,uid,gid");
            int mode = (Integer) attributes.get("mode");
            if (((Number) attributes.get("uid")).longValue() == uid) {
                return (mode & 0100) != 0;
            }
            if (((Number) attributes.get("gid")).longValue() == gid) {
                return (mode & 0010) != 0;
            }
            return (mode & 0001) != 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
