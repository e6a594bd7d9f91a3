package orrery.staging.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import orrery.model.staging.Checks;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import orrery.staging.domain.QuoteCalculator.ItemFacts;
import org.junit.jupiter.api.Test;

class QuoteCalculatorTest {

    private static final String MD5 = "0123456789abcdef0123456789abcdef";
    private final QuoteCalculator calculator = new QuoteCalculator(
            new QuotePolicy(Duration.ofMinutes(1), Duration.ofHours(1), 10_000_000, Duration.ofSeconds(5), 2));

    private static ItemFacts absent(String name, Long size, Double rate) {
        StagingItem item = new StagingItem(name, "https://h/" + name, new Checks(size, null));
        return new ItemFacts(item, Presence.of(Optional.empty(), item.checks()), "h", rate, null);
    }

    @Test
    void anItemAlreadyThereCostsThePresentCost() {
        StagingItem item = new StagingItem("nb.ipynb", "https://h/nb", new Checks(10L, MD5));
        ItemFacts facts = new ItemFacts(item, Presence.of(Optional.of(new StoredFile(10, MD5, "s")), item.checks()), "h", null, null);

        StagingQuote quote = calculator.quote(List.of(facts));

        assertThat(quote.items().get(0).present()).isTrue();
        assertThat(quote.items().get(0).cost()).isEqualTo(Duration.ofMinutes(1));
        assertThat(quote.feasible()).isTrue();
    }

    @Test
    void anItemThereButDifferentIsAnError() {
        StagingItem item = new StagingItem("nb.ipynb", "https://h/nb", new Checks(10L, MD5));
        ItemFacts facts = new ItemFacts(item, Presence.of(Optional.of(new StoredFile(10, "ffffffffffffffffffffffffffffffff", "s")),
                item.checks()), "h", null, null);

        StagingQuote quote = calculator.quote(List.of(facts));

        assertThat(quote.feasible()).isFalse();
        assertThat(quote.items().get(0).error()).contains("already there but the request says " + MD5);
    }

    @Test
    void estimatesFromSizeAndMeasuredRate() {
        StagingQuote quote = calculator.quote(List.of(absent("a", 50_000_000L, 25_000_000.0)));

        assertThat(quote.items().get(0).cost()).isEqualTo(Duration.ofSeconds(7)); // 5 s overhead + 2 s
        assertThat(quote.items().get(0).reason()).contains("measured from h");
    }

    @Test
    void fallsBackToTheDefaultRateAndTheUnknownSizeCost() {
        StagingQuote quote = calculator.quote(List.of(absent("a", 100_000_000L, null), absent("b", null, null)));

        assertThat(quote.items().get(0).cost()).isEqualTo(Duration.ofSeconds(15));
        assertThat(quote.items().get(0).reason()).contains("default rate");
        assertThat(quote.items().get(1).cost()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void sumsForSequentialAndSchedulesOnTheSlotsForParallel() {
        List<Duration> costs = List.of(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(10));

        assertThat(QuoteCalculator.parallel(costs, 2)).isEqualTo(Duration.ofSeconds(40));
        assertThat(QuoteCalculator.parallel(costs, 1)).isEqualTo(Duration.ofSeconds(80));
        assertThat(QuoteCalculator.parallel(costs, 8)).isEqualTo(Duration.ofSeconds(30));
        assertThat(QuoteCalculator.parallel(List.of(), 2)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRefusedSourceMakesTheQuoteInfeasible() {
        StagingItem item = new StagingItem("x", "ftp://h/x", Checks.none());

        StagingQuote quote = calculator.quote(List.of(new ItemFacts(item, null, null, null, "scheme 'ftp' is not supported")));

        assertThat(quote.feasible()).isFalse();
        assertThat(quote.items().get(0).error()).contains("ftp");
    }
}
