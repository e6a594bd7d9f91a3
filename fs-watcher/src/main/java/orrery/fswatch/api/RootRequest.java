package orrery.fswatch.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code PUT /api/v1/roots/{root}}.
 *
 * @param path absolute folder inside one of the allowed base folders
 * @param include gitignore-style globs of files to watch (default: all)
 * @param exclude more globs to leave out, after the defaults ({@code .git/}, {@code target/}, editor files...)
 * @param logs globs of log files followed with APPENDED events
 * @param quietPeriod ISO-8601 duration a file must be quiet to settle (default PT0.3S)
 * @param maxLatency ISO-8601 longest wait for a file that keeps changing (default PT5S)
 */
@Schema(description = "A folder to watch")
public record RootRequest(
        @JsonProperty(required = true) @Schema(required = true, example = "/data/projects/m31") String path,
        @Schema(example = "[\"**/*.fits\", \"notebooks/\"]") List<String> include,
        @Schema(example = "[\"scratch/\"]") List<String> exclude,
        @Schema(example = "[\"*.log\"]") List<String> logs,
        @Schema(implementation = String.class, example = "PT0.3S") @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration quietPeriod,
        @Schema(implementation = String.class, example = "PT5S") @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration maxLatency) {

    public RootRequest {
        // Copied keeping null elements: RootPolicy refuses them naming the element ("include[2] is null").
        include = include == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(include));
        exclude = exclude == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(exclude));
        logs = logs == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(logs));
    }
}
