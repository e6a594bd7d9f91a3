package orrery.model.task;

/** Where a task stands, as its owning service reports it. */
public enum TaskState {
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** True for the states a task never leaves. */
    public boolean isFinal() {
        return this != RUNNING;
    }
}
