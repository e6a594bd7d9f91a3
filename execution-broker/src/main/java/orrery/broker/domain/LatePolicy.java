package orrery.broker.domain;

/** What happens when an execution's preparation is not finished at its booked start. */
public enum LatePolicy {
    /** Run as soon as preparation is done, until the booking ends. */
    START_LATE,
    /** Fail the execution at the booked start. */
    FAIL
}
