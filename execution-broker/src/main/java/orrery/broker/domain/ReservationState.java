package orrery.broker.domain;

/** Where a reservation on a pool's calendar stands. */
public enum ReservationState {
    /** Held for an offer until it expires or is decided. */
    HELD,
    /** Kept: an accepted execution's, or one made over the calendar API. */
    FIRM,
    /** Given back to the pool. */
    RELEASED
}
