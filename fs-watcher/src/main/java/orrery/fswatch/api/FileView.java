package orrery.fswatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import orrery.fswatch.domain.IndexEntry;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A file as the index knows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileView(
        String path,
        @Schema(description = "bytes; for a log, bytes published so far") long size,
        Instant mtime,
        @Schema(description = "SHA-256 of the content last published; absent for log files") String sha256,
        @Schema(description = "true for a log file followed with APPENDED events") Boolean log) {

    static FileView of(IndexEntry entry) {
        return new FileView(entry.path(), entry.size(), entry.mtime(), entry.sha256(), entry.isLog() ? true : null);
    }
}
