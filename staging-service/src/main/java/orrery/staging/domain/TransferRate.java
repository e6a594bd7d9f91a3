package orrery.staging.domain;

import java.time.Duration;

/**
 * How fast a source host has delivered: an exponentially weighted moving average of the
 * transfers' rates ({@code new = ALPHA * sample + (1 - ALPHA) * old}), O(1) per sample and one
 * number per host. Small transfers are left out: their time is mostly connection set-up, which
 * would make the host look slower than it is.
 */
public final class TransferRate {

    /** Transfers smaller than this do not update the average. */
    public static final long MIN_SAMPLE_BYTES = 256 * 1024;
    /** Weight of the newest sample. */
    public static final double ALPHA = 0.3;

    private TransferRate() {
    }

    /** True if a transfer of {@code bytes} taking {@code elapsed} should update the average. */
    public static boolean isSample(long bytes, Duration elapsed) {
        return bytes >= MIN_SAMPLE_BYTES && !elapsed.isNegative() && !elapsed.isZero();
    }

    public static double sample(long bytes, Duration elapsed) {
        return bytes / (elapsed.toNanos() / 1e9);
    }

    /** The new average after {@code sample}; {@code previous} is null before the first one. */
    public static double update(Double previous, double sample) {
        return previous == null ? sample : ALPHA * sample + (1 - ALPHA) * previous;
    }
}
