package orrery.fswatch.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides what a path under a root is: ignored, a file to hash when it settles, or a log file to
 * follow while it grows. Directories are either ignored (with everything below) or descended.
 */
public final class PathRules {

    /** Excluded in every root unless re-included with {@code !pattern}: VCS data, build outputs, editor droppings. */
    public static final List<String> DEFAULT_EXCLUDES = List.of(
            ".git/", ".hg/", ".svn/", ".bzr/",
            "target/", "build/", "node_modules/", "__pycache__/", ".gradle/", ".idea/", ".ipynb_checkpoints/",
            "*.swp", "*.swo", "*.swx", ".*.sw?", "*~", ".#*", "#*#", "*.tmp", "*.temp", ".~lock.*#", "4913",
            ".DS_Store", "*.crdownload", "*.part");

    /** What a path is to the watcher. */
    public enum Kind {
        IGNORED,
        FILE,
        LOG
    }

    private final GlobRules includes;
    private final GlobRules excludes;
    private final GlobRules logs;

    /**
     * @param includes files to watch (empty: every file)
     * @param excludes added after {@link #DEFAULT_EXCLUDES}, so {@code !pattern} can re-include a default
     * @param logs files followed as logs; they are watched even if no include names them
     */
    public PathRules(List<String> includes, List<String> excludes, List<String> logs) {
        this.includes = GlobRules.of(includes);
        List<String> allExcludes = new ArrayList<>(DEFAULT_EXCLUDES);
        allExcludes.addAll(excludes);
        this.excludes = GlobRules.of(allExcludes);
        this.logs = GlobRules.of(logs);
    }

    /** Whether a directory (and so everything below it) is left out. */
    public boolean ignoresDirectory(String path) {
        return !path.isEmpty() && excludes.matches(path, true);
    }

    public Kind classify(String path) {
        if (path.isEmpty() || excludes.matches(path, false)) {
            return Kind.IGNORED;
        }
        return kindOf(path);
    }

    /** As {@link #classify}, for a file whose folders are known not to be excluded (as in a walk). */
    public Kind classifyInWalk(String path) {
        if (excludes.matchesItself(path, false)) {
            return Kind.IGNORED;
        }
        return kindOf(path);
    }

    private Kind kindOf(String path) {
        if (logs.matches(path, false)) {
            return Kind.LOG;
        }
        return includes.isEmpty() || includes.matches(path, false) ? Kind.FILE : Kind.IGNORED;
    }
}
