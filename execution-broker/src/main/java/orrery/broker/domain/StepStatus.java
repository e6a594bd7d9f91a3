package orrery.broker.domain;

/** Where a step stands (DESIGN.md: CREATED → RUNNING → COMPLETED | FAILED | CANCELLED). */
public enum StepStatus {
    CREATED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
