package orrery.fswatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code orrery.fswatch.*}: see the README for every key and its environment variable. */
@ConfigMapping(prefix = "orrery.fswatch")
public interface FsWatchConfig {

    /** Folders under which roots may lie (after symbolic links are resolved); none: no root is allowed. */
    Optional<List<Path>> allowedBases();

    /** Default quiet period before a changed file counts as settled. */
    @WithDefault("PT0.3S")
    Duration quietPeriod();

    /** Default longest wait for a file that never stops changing. */
    @WithDefault("PT5S")
    Duration maxLatency();

    /** Raw events buffered per root before the affected folder is rescanned instead. */
    @WithDefault("10000")
    int queueCapacity();

    /** Hashing threads shared by all roots; default one per core. */
    OptionalInt hashThreads();

    /** Wait before retrying a publish, an index write or a start that failed (NATS away). */
    @WithDefault("PT2S")
    Duration retryDelay();

    /** How long to wait for the stream to acknowledge an event. */
    @WithDefault("PT10S")
    Duration publishTimeout();

    Log log();

    /** Roots watched from start-up, by name. */
    Map<String, Root> roots();

    /** Log files. */
    interface Log {
        /** Publish a growing log at most this often. */
        @WithDefault("PT0.25S")
        Duration interval();

        /** At most this many bytes of new lines per APPENDED event. */
        @WithDefault("262144")
        int maxBytes();

        /** At most this many lines per APPENDED event. */
        @WithDefault("1000")
        int maxLines();
    }

    /** One configured root. */
    interface Root {
        /** The folder to watch: absolute, inside an allowed base. */
        Path path();

        Optional<List<String>> include();

        Optional<List<String>> exclude();

        Optional<List<String>> logs();

        Optional<Duration> quietPeriod();

        Optional<Duration> maxLatency();
    }
}
