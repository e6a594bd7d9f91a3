package orrery.fswatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a root's files, sorted by path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FilePage(
        String root,
        String prefix,
        List<FileView> files,
        @Schema(description = "pass as 'after' for the next page; absent on the last page") String next) {
}
