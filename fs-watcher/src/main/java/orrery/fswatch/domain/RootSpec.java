package orrery.fswatch.domain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One watched root: a folder, the files in it that matter, and its debounce timing.
 *
 * @param name a NATS subject token; events go to {@code events.fs.<name>}
 * @param path absolute, real (symbolic links resolved)
 * @param include gitignore-style globs of files to watch; empty for all
 * @param exclude gitignore-style globs left out, on top of {@link PathRules#DEFAULT_EXCLUDES}
 * @param logs globs of log files, followed with APPENDED events while they grow
 */
public record RootSpec(String name, Path path, List<String> include, List<String> exclude, List<String> logs,
                       Duration quietPeriod, Duration maxLatency) {

    public RootSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        logs = List.copyOf(logs);
        Objects.requireNonNull(quietPeriod, "quietPeriod");
        Objects.requireNonNull(maxLatency, "maxLatency");
    }

    public PathRules rules() {
        return new PathRules(include, exclude, logs);
    }
}
