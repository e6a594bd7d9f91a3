package orrery.fswatch.config;

import java.time.Duration;

/**
 * Settings shared by every root.
 *
 * @param queueCapacity raw file system events buffered per root; beyond it the affected folder is rescanned
 * @param logInterval log files publish at most this often
 * @param logMaxBytes at most this many bytes of new lines per APPENDED event
 * @param logMaxLines at most this many lines per APPENDED event
 * @param retryDelay wait before retrying a publish or index write that failed (NATS away)
 */
public record WatcherSettings(int queueCapacity, Duration logInterval, int logMaxBytes, int logMaxLines,
                              Duration retryDelay) {

    public WatcherSettings {
        if (queueCapacity < 1 || logMaxBytes < 64 || logMaxLines < 1) {
            throw new IllegalArgumentException("queue capacity and log caps must be positive (log bytes at least 64)");
        }
    }
}
