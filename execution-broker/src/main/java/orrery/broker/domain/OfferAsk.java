package orrery.broker.domain;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import orrery.model.schedule.TimeInterval;

/**
 * What a scientist asks for, reduced to what the planner needs.
 *
 * @param windows acceptable ways to run; empty means "as soon as preparation allows, for the
 *                given durations" is not possible, so callers always give at least one
 */
public record OfferAsk(List<Window> windows, int minCores, int maxCores, int minMemory, int maxMemory) {

    /**
     * One acceptable way to run.
     *
     * @param start when the execution may start (a zero-length interval is an exact start), or null
     *              for "as soon as preparation allows"
     * @param minDuration the shortest run that is still useful
     * @param maxDuration the longest run wanted
     */
    public record Window(TimeInterval start, Duration minDuration, Duration maxDuration) {

        public Window {
            Objects.requireNonNull(minDuration, "minDuration");
            Objects.requireNonNull(maxDuration, "maxDuration");
            if (minDuration.isNegative() || minDuration.isZero() || maxDuration.compareTo(minDuration) < 0) {
                throw new IllegalArgumentException("durations must satisfy 0 < min <= max");
            }
        }
    }

    public OfferAsk {
        windows = List.copyOf(windows);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one window");
        }
        if (minCores < 1 || maxCores < minCores) {
            throw new IllegalArgumentException("cores must satisfy 1 <= min <= max");
        }
        if (minMemory < 1 || maxMemory < minMemory) {
            throw new IllegalArgumentException("memory must satisfy 1 <= min <= max");
        }
    }
}
