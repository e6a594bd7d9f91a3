package orrery.fswatch.backend;

/**
 * What the watch service said about one path (relative to the root): it appeared, changed or went
 * away. The watcher decides later, once the path settles, what really changed.
 */
public record RawEvent(String path, Kind kind) {

    /** The JDK's three entry events. */
    public enum Kind {
        CREATE,
        MODIFY,
        DELETE
    }
}
