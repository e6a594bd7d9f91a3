package orrery.model.fs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A settled change to a file under a watched root, on {@code events.fs.<root>}, in order per file.
 *
 * @param path relative to the root, with {@code /} separators
 * @param sha256 content hash after the change (null for DELETED and APPENDED)
 * @param previousSha256 the hash last published for this path, or null
 * @param from for MOVED: the old path
 * @param rangeStart for APPENDED: offset of the first new byte
 * @param rangeEnd for APPENDED: offset after the last new byte
 * @param lines for APPENDED: the new complete lines
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
    }
}
