package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import orrery.model.schedule.TimeInterval;

class OfferPlannerProperties {

    private static final Instant NOW = Instant.parse("2024-08-30T08:00:00Z");

    @Property(tries = 300)
    void offersRespectWindowsPreparationCoresAndCapacity(
            @ForAll @IntRange(min = 0, max = 600) int windowStartMinutes, @ForAll @IntRange(min = 0, max = 180) int windowMinutes,
            @ForAll @IntRange(min = 1, max = 120) int prepMinutes, @ForAll @IntRange(min = 1, max = 8) int minCores,
            @ForAll @IntRange(min = 0, max = 8) int extraCores, @ForAll @IntRange(min = 1, max = 16) int capacity,
            @ForAll @IntRange(min = 0, max = 16) int busy, @ForAll @IntRange(min = 0, max = 600) int busyUntilMinutes) {
        Instant windowStart = NOW.plus(Duration.ofMinutes(windowStartMinutes));
        TimeInterval window = TimeInterval.of(windowStart, Duration.ofMinutes(windowMinutes));
        Duration preparation = Duration.ofMinutes(prepMinutes);
        long now = NOW.getEpochSecond();
        CapacityCalendar calendar = new CapacityCalendar(
                CompactSchedule.parse("{0,4102444800," + capacity + "}"),
                busy == 0 ? List.of() : List.of(new Booking(now, now + busyUntilMinutes * 60L + 1, busy)));
        OfferAsk ask = new OfferAsk(List.of(new OfferAsk.Window(window, Duration.ofMinutes(30), Duration.ofMinutes(90))),
                minCores, minCores + extraCores, 2, 4);

        OfferPlan plan = new OfferPlanner(4, Duration.ofMinutes(1), Duration.ofDays(1)).plan(ask, preparation, NOW, calendar);

        assertThat(plan.offers()).hasSizeLessThanOrEqualTo(4);
        assertThat(plan.yes() || !plan.reasons().isEmpty()).isTrue();
        CapacityCalendar held = calendar;
        for (PlannedOffer offer : plan.offers()) {
            assertThat(window.admits(offer.start())).as("starts inside %s: %s", window, offer.start()).isTrue();
            assertThat(offer.preparationStart()).isAfterOrEqualTo(NOW);
            assertThat(offer.cores()).isBetween(ask.minCores(), ask.maxCores());
            assertThat(offer.duration()).isBetween(Duration.ofMinutes(30), Duration.ofMinutes(90));
            assertThat(held.fits(offer.booking().start(), offer.booking().end(), offer.cores())).isTrue();
            held = held.with(offer.booking());
        }
    }
}
