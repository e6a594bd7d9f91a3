package orrery.fswatch.service;

/**
 * A root's state for the REST API.
 *
 * @param error why a FAILED root stopped, or what a STARTING root waits for
 * @param folders folders under inotify watch
 * @param pending files waiting to settle
 * @param published events published since this watcher started
 * @param overflows times events were lost (queue full or kernel overflow) and a rescan was due
 * @param rescans folder rescans done after overflows
 */
public record RootStatus(String name, RootWatcher.State state, String error, int files, int folders, int pending,
                         long published, long overflows, long rescans) {
}
