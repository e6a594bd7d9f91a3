package orrery.broker.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * What an offer costs and how soon it delivers, exact numbers from the calendar and the quotes
 * (not ranges): the core-hours it holds, their price and carbon where the pool is priced, how long
 * after the request it starts, and how long its preparation takes. A client comparing brokers can
 * set these side by side.
 *
 * @param coreHours cores × the booked duration in hours
 * @param price coreHours × the pool's price, or null where it has none
 * @param currency the price's currency, or null without a price
 * @param gramsCo2 coreHours × the pool's carbon intensity, or null where it has none
 * @param startDelay from the request to the booked start
 * @param preparation from the start of preparation to the booked start
 */
public record OfferCosts(double coreHours, Double price, String currency, Double gramsCo2, Duration startDelay,
                         Duration preparation) {

    /** The costs of {@code cores} for {@code duration} starting at {@code start}, asked for at {@code asked}. */
    public static OfferCosts of(int cores, Duration duration, Duration preparation, Instant start, Instant asked,
                                PoolPrice price) {
        double coreHours = round(cores * duration.toMillis() / 3_600_000.0, 6);
        Double money = price.perCoreHour().map(perHour -> round(coreHours * perHour, 4)).orElse(null);
        Double carbon = price.gramsCo2PerCoreHour().map(grams -> round(coreHours * grams, 3)).orElse(null);
        // Whole seconds: the offer's start is on the calendar's granularity; the request's nanoseconds are noise.
        Duration delay = Duration.between(asked, start).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new OfferCosts(coreHours, money, money == null ? null : price.currency(), carbon,
                delay.isNegative() ? Duration.ZERO : delay, preparation);
    }

    private static double round(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
    }
}
