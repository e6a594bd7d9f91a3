package orrery.deps.domain;

/**
 * Something that happened in a build, in the order it happened; the service streams these as
 * server-sent events.
 *
 * @param artefact {@code root/path}, or null for events about the whole build
 * @param round the cycle round (1 outside cycles), or 0
 * @param changed for BUILT: whether the content hash changed
 */
public record BuildEvent(long sequence, Kind kind, String artefactId, String artefact, int round, String sha256,
                         boolean changed, String message) {

    /** What kind of thing happened. */
    public enum Kind {
        PLANNED, STARTED, BUILT, UNCHANGED, FAILED, BLOCKED, ROUND, CONVERGED, NOT_CONVERGED, REPLANNED, FINISHED
    }
}
