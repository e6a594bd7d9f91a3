package orrery.broker.domain;

/** The footprint of one active reservation on the calendar: {@code amount} cores over {@code [start, end)}. */
public record Booking(long start, long end, int amount) {

    public Booking {
        if (end <= start) {
            throw new IllegalArgumentException("a booking must end after it starts");
        }
        if (amount <= 0) {
            throw new IllegalArgumentException("a booking holds at least one core");
        }
    }
}
