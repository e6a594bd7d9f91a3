package orrery.staging.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of a staging quote.
 *
 * @param presentCost the cost of an item that is already in place (checking it is not free)
 * @param unknownSizeCost the cost of an absent item whose size nobody told us
 * @param defaultBytesPerSecond the rate assumed for a host we have never measured
 * @param overhead added to every transfer (connection set-up, verification, rename)
 * @param concurrency how many transfers run at once, for the parallel total
 */
public record QuotePolicy(Duration presentCost, Duration unknownSizeCost, double defaultBytesPerSecond,
                          Duration overhead, int concurrency) {

    public QuotePolicy {
        Objects.requireNonNull(presentCost, "presentCost");
        Objects.requireNonNull(unknownSizeCost, "unknownSizeCost");
        Objects.requireNonNull(overhead, "overhead");
        if (defaultBytesPerSecond <= 0) {
            throw new IllegalArgumentException("default rate must be positive");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }
}
