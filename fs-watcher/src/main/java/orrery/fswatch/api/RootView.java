package orrery.fswatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import orrery.fswatch.domain.RootSpec;
import orrery.fswatch.service.RootStatus;
import orrery.fswatch.service.RootWatcher;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A watched root, its settings and how it is doing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RootView(
        String name,
        String path,
        List<String> include,
        List<String> exclude,
        List<String> logs,
        @Schema(implementation = String.class, example = "PT0.3S") Duration quietPeriod,
        @Schema(implementation = String.class, example = "PT5S") Duration maxLatency,
        @Schema(description = "STARTING, WATCHING, FAILED or STOPPED") String state,
        @Schema(description = "why a FAILED root stopped, or what a STARTING one waits for") String error,
        @Schema(description = "files in the index") int files,
        @Schema(description = "folders under watch") int folders,
        @Schema(description = "files waiting to settle") int pending,
        @Schema(description = "events published since this watcher started") long published,
        @Schema(description = "times events were lost to a full queue and a rescan was due") long overflows,
        @Schema(description = "rescans done after overflows") long rescans) {

    static RootView of(RootWatcher root) {
        RootSpec spec = root.spec();
        RootStatus status = root.status();
        return new RootView(spec.name(), spec.path().toString(), spec.include(), spec.exclude(), spec.logs(),
                spec.quietPeriod(), spec.maxLatency(), status.state().name(), status.error(), status.files(),
                status.folders(), status.pending(), status.published(), status.overflows(), status.rescans());
    }
}
