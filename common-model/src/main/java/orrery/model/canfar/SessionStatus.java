package orrery.model.canfar;

/** A session's status, as skaha names them (plus Terminated once it is gone). */
public enum SessionStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    Terminating,
    Terminated;

    /** True for statuses a session never leaves. */
    public boolean isFinal() {
        return this == Succeeded || this == Failed || this == Terminated;
    }
}
