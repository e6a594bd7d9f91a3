package orrery.staging.domain;

import java.time.Duration;

/** Exponential back-off between attempts at a transient failure: base, 2x, 4x, ... up to a cap. */
public record Backoff(Duration base, Duration cap, int maxAttempts) {

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before attempt {@code attempt} (2 for the first retry). */
    public Duration before(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        long factor = 1L << Math.min(attempt - 2, 20);
        Duration delay = base.multipliedBy(factor);
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    public boolean mayRetry(int attemptsSoFar) {
        return attemptsSoFar < maxAttempts;
    }
}
