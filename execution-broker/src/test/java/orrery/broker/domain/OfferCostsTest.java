package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import orrery.model.schedule.TimeInterval;
import org.junit.jupiter.api.Test;

class OfferCostsTest {

    private static final Instant ASKED = Instant.parse("2024-08-30T09:00:00Z");
    private static final PoolPrice PRICED = new PoolPrice(Optional.of(0.05), "GBP", Optional.of(120.0));

    @Test
    void anOfferCostsItsCoresTimesItsHoursAtThePoolsPrices() {
        OfferCosts costs = OfferCosts.of(4, Duration.ofMinutes(90), Duration.ofMinutes(7), ASKED.plus(Duration.ofHours(2)),
                ASKED.plusNanos(905_543_618), PRICED);

        assertThat(costs.coreHours()).isEqualTo(6.0);
        assertThat(costs.price()).isEqualTo(0.3);
        assertThat(costs.currency()).isEqualTo("GBP");
        assertThat(costs.gramsCo2()).isEqualTo(720.0);
        assertThat(costs.startDelay()).isEqualTo(Duration.ofHours(2).minusSeconds(1));
        assertThat(costs.preparation()).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void anUnpricedPoolCountsCoreHoursOnly() {
        OfferCosts costs = OfferCosts.of(1, Duration.ofMinutes(20), Duration.ZERO, ASKED.minusSeconds(5), ASKED,
                PoolPrice.UNPRICED);

        assertThat(costs.coreHours()).isEqualTo(0.333333);
        assertThat(costs.price()).isNull();
        assertThat(costs.currency()).isNull();
        assertThat(costs.gramsCo2()).isNull();
        assertThat(costs.startDelay()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aNegativePriceIsNoPrice() {
        assertThatThrownBy(() -> new PoolPrice(Optional.of(-1.0), "EUR", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBudgetCapsTheCoresThenTheHoursSoNoOfferCanExceedIt() {
        OfferAsk ask = new OfferAsk(List.of(window(Duration.ofHours(1), Duration.ofHours(4))), 1, 8, 1, 16);

        CoreHourBudget.Fitted fitted = CoreHourBudget.fit(ask, 6, "the budget");

        assertThat(fitted.refusal()).isNull();
        assertThat(fitted.ask().maxCores()).isEqualTo(6);
        assertThat(fitted.ask().windows().get(0).maxDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(fitted.ask().maxCores() * 1.0).isLessThanOrEqualTo(6.0);
        CoreHourBudget.Fitted roomy = CoreHourBudget.fit(ask, 100, "the budget");
        assertThat(roomy.ask().maxCores()).isEqualTo(8);
        assertThat(roomy.ask().windows().get(0).maxDuration()).isEqualTo(Duration.ofHours(4));
        CoreHourBudget.Fitted some = CoreHourBudget.fit(ask, 20, "the budget");
        assertThat(some.ask().maxCores()).isEqualTo(8);
        assertThat(some.ask().windows().get(0).maxDuration()).isEqualTo(Duration.ofMinutes(150));
    }

    @Test
    void aBudgetBelowTheSmallestSessionIsARefusalThatSaysSo() {
        OfferAsk ask = new OfferAsk(List.of(window(Duration.ofHours(2), Duration.ofHours(2))), 2, 4, 1, 8);

        CoreHourBudget.Fitted fitted = CoreHourBudget.fit(ask, 3.5, "the most price asked for");

        assertThat(fitted.ask()).isNull();
        assertThat(fitted.refusal()).contains("2 cores for PT2H, is 4.0 core-hours, more than the 3.5 core-hours "
                + "the most price asked for allows");
    }

    @Test
    void aWindowWhoseShortestRunIsOverTheBudgetIsDroppedAndTheOthersKept() {
        OfferAsk ask = new OfferAsk(List.of(window(Duration.ofHours(1), Duration.ofHours(1)),
                window(Duration.ofHours(5), Duration.ofHours(6))), 1, 1, 1, 2);

        CoreHourBudget.Fitted fitted = CoreHourBudget.fit(ask, 2, "the budget");

        assertThat(fitted.ask().windows()).hasSize(1);
        assertThat(fitted.ask().windows().get(0).minDuration()).isEqualTo(Duration.ofHours(1));
    }

    private static OfferAsk.Window window(Duration min, Duration max) {
        return new OfferAsk.Window(new TimeInterval(ASKED, ASKED.plus(Duration.ofHours(1))), min, max);
    }
}
