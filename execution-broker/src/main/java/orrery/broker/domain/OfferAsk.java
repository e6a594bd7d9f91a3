package orrery.broker.domain;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import orrery.model.schedule.TimeInterval;

/**
 * What a scientist asks for, reduced to what the planner needs.
 *
 * @param windows when the execution may start: each is a start window (a zero-length one is an
 *                exact start); empty means "as soon as preparation allows"
 * @param minDuration the shortest run that is still useful
 * @param maxDuration the longest run wanted
 */
public record OfferAsk(List<TimeInterval> windows, Duration minDuration, Duration maxDuration, int minCores, int maxCores,
                       int minMemory, int maxMemory) {

    public OfferAsk {
        windows = List.copyOf(windows);
        Objects.requireNonNull(minDuration, "minDuration");
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (minDuration.isNegative() || minDuration.isZero() || maxDuration.compareTo(minDuration) < 0) {
            throw new IllegalArgumentException("durations must satisfy 0 < min <= max");
        }
        if (minCores < 1 || maxCores < minCores) {
            throw new IllegalArgumentException("cores must satisfy 1 <= min <= max");
        }
        if (minMemory < 1 || maxMemory < minMemory) {
            throw new IllegalArgumentException("memory must satisfy 1 <= min <= max");
        }
    }
}
