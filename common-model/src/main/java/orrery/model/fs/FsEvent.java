package orrery.model.fs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A settled change to a file under a watched root, on {@code events.fs.<root>}, in order per file.
 *
 * <p>Only real changes are sent: a touch or a rewrite with identical content sends nothing. A
 * log file (per-root log globs) sends {@code APPENDED} while it grows; when it was truncated or
 * rotated, the next {@code APPENDED} starts again at {@code rangeStart = 0}.
 *
 * @param path relative to the root, with {@code /} separators
 * @param size bytes in the file after the change (null for DELETED)
 * @param mtime the file's modification time after the change (null for DELETED)
 * @param sha256 content hash after the change, lower-case hex (null for DELETED and APPENDED)
 * @param previousSha256 the hash last published for this path, or null
 * @param from for MOVED: the old path
 * @param rangeStart for APPENDED: offset of the first new byte
 * @param rangeEnd for APPENDED: offset after the last new byte
 * @param lines for APPENDED: the new complete lines, without their line ends
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FsEvent(
        @JsonProperty(required = true) String root,
        @JsonProperty(required = true) String path,
        @JsonProperty(required = true) FsChangeKind kind,
        Long size,
        Instant mtime,
        String sha256,
        String previousSha256,
        String from,
        Long rangeStart,
        Long rangeEnd,
        List<String> lines) {

    public FsEvent {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        lines = lines == null ? null : List.copyOf(lines);
        switch (kind) {
            case CREATED, MODIFIED -> require(sha256 != null && size != null && mtime != null, kind,
                    "size, mtime and sha256");
            case MOVED -> require(from != null && sha256 != null, kind, "from and sha256");
            case APPENDED -> require(rangeStart != null && rangeEnd != null && rangeStart <= rangeEnd && lines != null,
                    kind, "rangeStart <= rangeEnd and lines");
            case DELETED -> {
            }
        }
    }

    public static FsEvent created(String root, String path, long size, Instant mtime, String sha256) {
        return new FsEvent(root, path, FsChangeKind.CREATED, size, mtime, sha256, null, null, null, null, null);
    }

    public static FsEvent modified(String root, String path, long size, Instant mtime, String sha256,
                                   String previousSha256) {
        return new FsEvent(root, path, FsChangeKind.MODIFIED, size, mtime, sha256, previousSha256, null, null, null,
                null);
    }

    public static FsEvent deleted(String root, String path, String previousSha256) {
        return new FsEvent(root, path, FsChangeKind.DELETED, null, null, null, previousSha256, null, null, null, null);
    }

    /** {@code from} was renamed to {@code path}; {@code previousSha256} is what {@code path} held before, if anything. */
    public static FsEvent moved(String root, String from, String path, long size, Instant mtime, String sha256,
                                String previousSha256) {
        return new FsEvent(root, path, FsChangeKind.MOVED, size, mtime, sha256, previousSha256, from, null, null, null);
    }

    public static FsEvent appended(String root, String path, long size, Instant mtime, long rangeStart, long rangeEnd,
                                   List<String> lines) {
        return new FsEvent(root, path, FsChangeKind.APPENDED, size, mtime, null, null, null, rangeStart, rangeEnd,
                lines);
    }

    private static void require(boolean ok, FsChangeKind kind, String what) {
        if (!ok) {
            throw new IllegalArgumentException(kind + " event needs " + what);
        }
    }
}
