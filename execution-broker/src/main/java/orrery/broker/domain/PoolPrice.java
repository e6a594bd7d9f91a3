package orrery.broker.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * What a core-hour costs on a pool: a price in a currency, and the carbon its power emits, where
 * the operator configured them (either may be unknown).
 *
 * @param perCoreHour the price of one core for one hour
 * @param currency an ISO 4217 code (EUR, GBP, CAD, ...), or a unit of the operator's own (credits)
 * @param gramsCo2PerCoreHour the grams of CO2-equivalent one core-hour emits on this pool
 */
public record PoolPrice(Optional<Double> perCoreHour, String currency, Optional<Double> gramsCo2PerCoreHour) {

    /** A pool nobody priced: only core-hours are counted. */
    public static final PoolPrice UNPRICED = new PoolPrice(Optional.empty(), "EUR", Optional.empty());

    public PoolPrice {
        Objects.requireNonNull(perCoreHour, "perCoreHour");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(gramsCo2PerCoreHour, "gramsCo2PerCoreHour");
        perCoreHour.filter(price -> price < 0 || price.isNaN()).ifPresent(price -> {
            throw new IllegalArgumentException("a price per core-hour cannot be " + price);
        });
        gramsCo2PerCoreHour.filter(grams -> grams < 0 || grams.isNaN()).ifPresent(grams -> {
            throw new IllegalArgumentException("carbon per core-hour cannot be " + grams);
        });
    }
}
