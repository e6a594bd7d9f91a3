package orrery.broker.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * One offer the broker can keep: preparation from {@code start - preparation}, execution from
 * {@code start} for {@code duration}, on {@code cores} cores and {@code memory} GB.
 */
public record PlannedOffer(Instant start, Duration duration, Duration preparation, int cores, int memory) {

    public Instant preparationStart() {
        return start.minus(preparation);
    }

    public Instant end() {
        return start.plus(duration);
    }

    public Booking booking() {
        return new Booking(start.getEpochSecond(), end().getEpochSecond(), cores);
    }
}
