package orrery.model.build;

/**
 * Checks the paths that build messages carry: relative to a watched root, {@code /}-separated,
 * never escaping the root. A builder runs commands in these folders, so a path such as
 * {@code ../../etc} must be refused wherever it enters.
 */
public final class RelativePaths {

    private RelativePaths() {
    }

    /** Returns {@code path} if it is a clean relative path, otherwise throws naming {@code field}. */
    public static String require(String path, String field) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (path.length() > 1024) {
            throw new IllegalArgumentException(field + " is longer than 1024 characters");
        }
        if (path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " '" + path
                    + "' must be relative to its root, with '/' separators");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(field + " '" + path
                        + "' must not contain empty, '.' or '..' segments");
            }
        }
        return path;
    }

    /** The folder part of {@code path} ("" for a file at the root). */
    public static String folder(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The file name part of {@code path}. */
    public static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
