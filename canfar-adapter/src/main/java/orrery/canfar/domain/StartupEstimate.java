package orrery.canfar.domain;

import java.time.Duration;

/**
 * The expected time from launch to Running for one image: a moving average of what was observed,
 * over roughly the last {@code window} start-ups, so it follows a platform that gets slower or
 * faster without being thrown by one odd start.
 *
 * <p>The incremental mean {@code mean += (sample - mean) / weight} with {@code weight = min(samples + 1, window)}:
 * the plain cumulative average of the first {@code window} start-ups, then an exponential moving average
 * with smoothing factor {@code 1 / window} (about the last {@code window} start-ups carry the weight).
 * O(1) time and space per start-up; only the mean and the count are kept.
 *
 * @param samples how many start-ups have been observed (capped at the window)
 */
public record StartupEstimate(Duration mean, int samples) {

    public StartupEstimate {
        if (mean.isNegative() || samples < 0) {
            throw new IllegalArgumentException("a start-up estimate cannot be negative: " + mean + ", " + samples);
        }
    }

    public static StartupEstimate none(Duration fallback) {
        return new StartupEstimate(fallback, 0);
    }

    /** This estimate with one more observed start-up folded in. */
    public StartupEstimate observe(Duration sample, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        Duration clean = sample.isNegative() ? Duration.ZERO : sample;
        int weight = Math.min(samples + 1, window);
        long meanMillis = mean.toMillis() + Math.round((clean.toMillis() - mean.toMillis()) / (double) weight);
        return new StartupEstimate(Duration.ofMillis(meanMillis), Math.min(samples + 1, window));
    }
}
