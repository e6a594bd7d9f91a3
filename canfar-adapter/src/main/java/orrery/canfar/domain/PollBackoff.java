package orrery.canfar.domain;

import java.time.Duration;

/**
 * How long to wait before looking at a session again: soon after it changed, then less and less
 * often while nothing happens, up to a ceiling: capped exponential back-off (the interval grows by
 * {@code factor} per quiet look, from {@code initial} to {@code max}, and starts over on a change).
 */
public record PollBackoff(Duration initial, Duration max, double factor) {

    public PollBackoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || factor < 1.0) {
            throw new IllegalArgumentException("poll back-off needs 0 < initial <= max and factor >= 1, got "
                    + initial + ", " + max + ", " + factor);
        }
    }

    /** The interval after one that lasted {@code previous}; null starts over. */
    public Duration next(Duration previous, boolean changed) {
        if (previous == null || changed) {
            return initial;
        }
        long grown = (long) Math.ceil(previous.toMillis() * factor);
        return grown >= max.toMillis() ? max : Duration.ofMillis(Math.max(grown, initial.toMillis()));
    }
}
