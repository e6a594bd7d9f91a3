package orrery.fswatch.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * Decides whether a root may be watched: its name must be a subject token, its folder must exist
 * and lie, after symbolic links are resolved, inside one of the allowed base folders.
 */
public final class RootPolicy {

    /** Longest quiet period or maximum latency accepted: longer would look like a stuck watcher. */
    public static final Duration LONGEST_WAIT = Duration.ofHours(1);
    /** Longest folder path accepted (Linux's PATH_MAX). */
    public static final int MAX_PATH = 4096;
    /** Most globs in each of include, exclude and logs. */
    public static final int MAX_GLOBS = 256;
    /** Longest glob accepted. */
    public static final int MAX_GLOB = 1024;

    private final List<Path> allowedBases;

    public RootPolicy(List<Path> allowedBases) {
        List<Path> bases = new ArrayList<>();
        for (Path base : allowedBases) {
            if (base.toString().isBlank()) {
                continue;
            }
            Path path = base.toAbsolutePath().normalize();
            try {
                path = path.toRealPath();
            } catch (IOException e) {
                // A base that does not exist yet still bounds what may be watched once it does.
            }
            bases.add(path);
        }
        this.allowedBases = List.copyOf(bases);
    }

    public List<Path> allowedBases() {
        return allowedBases;
    }

    /** The checked spec, with its path made real; a {@link ProblemException} (4xx) says what is wrong. */
    public RootSpec check(String name, String path, List<String> include, List<String> exclude, List<String> logs,
                          Duration quietPeriod, Duration maxLatency) {
        checkName(name);
        Path folder = checkFolder(path);
        checkGlobs("include", include);
        checkGlobs("exclude", exclude);
        checkGlobs("logs", logs);
        if (quietPeriod.isNegative() || quietPeriod.compareTo(LONGEST_WAIT) > 0) {
            throw invalid("quietPeriod", "quietPeriod must lie between 0 and " + LONGEST_WAIT + ", not " + quietPeriod);
        }
        if (maxLatency.compareTo(quietPeriod) < 0 || maxLatency.compareTo(LONGEST_WAIT) > 0) {
            throw invalid("maxLatency", "maxLatency must lie between the quiet period (" + quietPeriod + ") and "
                    + LONGEST_WAIT + ", not " + maxLatency);
        }
        return new RootSpec(name, folder, include, exclude, logs, quietPeriod, maxLatency);
    }

    public static void checkName(String name) {
        if (!Subjects.isToken(name)) {
            throw new ProblemException(Problem.of("invalid-root-name", 400, "The root name cannot be used",
                    "root name " + (name == null ? "(none)" : shown(name)) + " is not allowed: use 1 to 128 letters, digits, '-' or '_' "
                            + "(it becomes the subject events.fs.<root>)").with("field", "root"));
        }
    }

    private Path checkFolder(String path) {
        Path normal = parse(path);
        if (!withinBases(normal)) {
            throw notAllowed(path);
        }
        Path real;
        try {
            real = normal.toRealPath();
        } catch (IOException e) {
            throw invalid("path", "folder '" + path + "' does not exist or cannot be read");
        }
        if (!withinBases(real)) {
            throw notAllowed(path + " (it resolves to " + real + ")");
        }
        if (!Files.isDirectory(real)) {
            throw invalid("path", "'" + path + "' is not a folder");
        }
        return real;
    }

    /** {@code path} as an absolute, normalised path, or a refusal naming what is wrong with the text. */
    private static Path parse(String path) {
        if (path == null || path.isBlank()) {
            throw invalid("path", "path is required: the absolute folder to watch");
        }
        if (path.length() > MAX_PATH) {
            throw invalid("path", "path is " + path.length() + " characters long; a folder path is at most " + MAX_PATH
                    + " characters");
        }
        int control = firstControl(path);
        if (control >= 0) {
            throw invalid("path", "path " + shown(path) + " has a control character (U+"
                    + String.format("%04X", (int) path.charAt(control)) + ") at position " + control
                    + "; a watched folder's path is printable text");
        }
        Path folder;
        try {
            folder = Path.of(path);
        } catch (InvalidPathException e) {
            throw invalid("path", "path " + shown(path) + " is not a valid path: " + e.getReason());
        }
        if (!folder.isAbsolute()) {
            throw invalid("path", "path '" + path + "' must be absolute");
        }
        return folder.normalize();
    }

    private boolean withinBases(Path path) {
        return allowedBases.stream().anyMatch(path::startsWith);
    }

    private ProblemException notAllowed(String path) {
        String bases = allowedBases.isEmpty() ? "none are configured (set orrery.fswatch.allowed-bases)"
                : allowedBases.toString();
        return new ProblemException(Problem.of("path-not-allowed", 403, "The folder is outside the allowed base folders",
                "folder " + path + " may not be watched: it must lie inside one of the allowed base folders; "
                        + bases).with("field", "path"));
    }

    private static void checkGlobs(String field, List<String> globs) {
        if (globs.size() > MAX_GLOBS) {
            throw invalid(field, field + " has " + globs.size() + " patterns; at most " + MAX_GLOBS + " " + field
                    + " patterns are accepted");
        }
        for (int i = 0; i < globs.size(); i++) {
            String glob = globs.get(i);
            String at = field + "[" + i + "]";
            if (glob == null) {
                throw invalid(field, at + " is null; each " + field + " pattern is a string such as \"*.log\"");
            }
            if (glob.length() > MAX_GLOB) {
                throw invalid(field, at + " is " + glob.length() + " characters long; a pattern is at most " + MAX_GLOB
                        + " characters");
            }
            int control = firstControl(glob);
            if (control >= 0) {
                throw invalid(field, at + " " + shown(glob) + " has a control character (U+"
                        + String.format("%04X", (int) glob.charAt(control)) + ") at position " + control
                        + "; patterns are printable text");
            }
        }
        try {
            new PathRules(List.of(), List.of(), globs);
        } catch (IllegalArgumentException e) {
            throw invalid(field, field + " has a glob that cannot be used: " + e.getMessage());
        }
    }

    /** Index of the first control character (C0, DEL, C1) in {@code text}, or -1. */
    public static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} quoted for a problem's detail: at most 100 characters, control characters as {@code \\uXXXX}. */
    public static String shown(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) : text;
        StringBuilder shown = new StringBuilder("'");
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            shown.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        shown.append('\'');
        if (cut.length() < text.length()) {
            shown.append("… (").append(text.length()).append(" characters)");
        }
        return shown.toString();
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.of("invalid-field", 400, "A field of the request has an invalid value",
                detail).with("field", field));
    }
}
