package orrery.deps.domain;

/** Where one artefact stands within one build. */
public enum StepStatus {
    /** In the plan, waiting for what it is built from. */
    WAITING,
    /** Its build task is out (or its cycle is being rebuilt). */
    RUNNING,
    /** Rebuilt in this build. */
    BUILT,
    /** Nothing it is built from changed (early cutoff), or it was already up to date. */
    UNCHANGED,
    /** A source file: nothing to build. */
    SOURCE,
    /** Its build failed, or its cycle did not converge. */
    FAILED,
    /** Not built because something it needs failed. */
    BLOCKED;

    public boolean isFinal() {
        return this != WAITING && this != RUNNING;
    }

    public boolean isBad() {
        return this == FAILED || this == BLOCKED;
    }
}
