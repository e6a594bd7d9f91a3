package orrery.deps.domain;

/** Where an artefact stands between builds. */
public enum ArtefactState {
    /** A file nobody builds, present on disk. */
    SOURCE,
    /** A file nobody builds that does not exist (yet), or was deleted. */
    MISSING,
    /** Built by a rule but never built yet. */
    NEW,
    /** Built, and no input has changed since. */
    UP_TO_DATE,
    /** An input changed since the last build. */
    STALE,
    /** The last build failed (or its cycle did not converge). */
    FAILED
}
