package orrery.model.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A half-open span of time {@code [start, end)}. A zero-length interval stands for a single
 * instant, as in "start exactly at 09:45".
 */
public record TimeInterval(Instant start, Instant end) {

    public TimeInterval {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("interval ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public static TimeInterval of(Instant start, Duration duration) {
        return new TimeInterval(start, start.plus(duration));
    }

    public static TimeInterval at(Instant instant) {
        return new TimeInterval(instant, instant);
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    public boolean isInstant() {
        return start.equals(end);
    }

    /** True if {@code instant} lies in {@code [start, end]}: both ends count for a start window. */
    public boolean admits(Instant instant) {
        return !instant.isBefore(start) && !instant.isAfter(end);
    }

    public boolean overlaps(TimeInterval other) {
        return start.isBefore(other.end) && other.start.isBefore(end);
    }

    /** ISO-8601 {@code start/duration}, e.g. {@code 2024-08-30T09:45:00Z/PT1H}. */
    public String toIsoStartDuration() {
        return start + "/" + IsoSchedule.format(duration());
    }

    /** ISO-8601 {@code start/end}. */
    public String toIsoStartEnd() {
        return start + "/" + end;
    }

    @Override
    public String toString() {
        return toIsoStartDuration();
    }
}
