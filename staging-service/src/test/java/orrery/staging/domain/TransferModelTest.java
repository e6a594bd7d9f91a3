package orrery.staging.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import orrery.model.problem.ProblemException;
import orrery.model.staging.Checks;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import org.junit.jupiter.api.Test;

/** The simulated backend's model of a transfer, and quotes made from it. */
class TransferModelTest {

    private static final TransferModel MODEL = new TransferModel(50_000_000, 100_000_000);
    private static final URI PLAIN = URI.create("https://data.sim.invalid/obs/1.fits");

    @Test
    void anItemTakesItsSizeOverTheRateRoundedUpToTheMillisecond() {
        assertThat(MODEL.duration(MODEL.size(new Checks(150_000_000L, null)))).isEqualTo(Duration.ofSeconds(3));
        assertThat(MODEL.duration(MODEL.size(new Checks(null, null)))).as("the default size").isEqualTo(Duration.ofSeconds(2));
        assertThat(MODEL.duration(1)).isEqualTo(Duration.ofMillis(1));
        assertThat(MODEL.duration(0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void theWorkloadSaysHowAnItemFails() {
        assertThat(TransferModel.failure(PLAIN)).isEqualTo(TransferModel.Failure.NONE);
        assertThat(TransferModel.failure(URI.create("https://data.sim.invalid/x?a=1&sim-fail=checksum")))
                .isEqualTo(TransferModel.Failure.CHECKSUM);
        assertThat(TransferModel.failure(URI.create("https://fail.sim.invalid/x"))).isEqualTo(TransferModel.Failure.CHECKSUM);
        assertThat(TransferModel.failure(URI.create("https://data.sim.invalid/x?sim-fail=SIZE"))).isEqualTo(TransferModel.Failure.SIZE);
        assertThat(TransferModel.failure(URI.create("vos://cadc.nrc.ca~arc/x?sim-fail=missing")))
                .isEqualTo(TransferModel.Failure.MISSING);
        assertThatThrownBy(() -> TransferModel.failure(URI.create("https://data.sim.invalid/x?sim-fail=slowly")))
                .isInstanceOf(ProblemException.class).hasMessageContaining("sim-fail=slowly").hasMessageContaining("checksum");
    }

    @Test
    void anItemArrivesWithItsChecksAndTheSameDigestsEveryTime() {
        StoredFile checked = MODEL.arrived(PLAIN, new Checks(10L, "0123456789ABCDEF0123456789ABCDEF"));
        StoredFile unchecked = MODEL.arrived(PLAIN, new Checks(null, null));

        assertThat(checked.size()).isEqualTo(10);
        assertThat(checked.md5()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(unchecked.size()).isEqualTo(100_000_000);
        assertThat(unchecked.md5()).hasSize(32).isEqualTo(MODEL.arrived(PLAIN, new Checks(null, null)).md5());
        assertThat(unchecked.sha256()).hasSize(64);
        assertThat(MODEL.mismatch(TransferModel.Failure.CHECKSUM, PLAIN, new Checks(10L, checked.md5())))
                .startsWith("MD5 mismatch: expected " + checked.md5() + ", received ").doesNotContain("received " + checked.md5());
    }

    @Test
    void quotesAnswerExactlyWhatTheTransferTakes() {
        QuoteCalculator calculator = new QuoteCalculator(new QuotePolicy(Duration.ofMinutes(1), Duration.ofHours(1), 1e6,
                Duration.ofSeconds(5), 2), MODEL);
        StagingItem sized = new StagingItem("a.fits", PLAIN.toString(), new Checks(150_000_000L, null));
        StagingItem unsized = new StagingItem("b.fits", PLAIN.toString(), new Checks(null, null));
        StagingItem bad = new StagingItem("c.fits", PLAIN + "?sim-fail=later", new Checks(null, null));

        StagingQuote quote = calculator.quote(List.of(
                new QuoteCalculator.ItemFacts(sized, Presence.of(java.util.Optional.empty(), sized.checks()), "h", 1.0, null),
                new QuoteCalculator.ItemFacts(unsized, Presence.of(java.util.Optional.empty(), unsized.checks()), "h", null, null)));
        StagingQuote refused = calculator.quote(List.of(
                new QuoteCalculator.ItemFacts(bad, Presence.of(java.util.Optional.empty(), bad.checks()), "h", null, null)));

        assertThat(quote.items()).extracting(StagingQuote.ItemQuote::cost)
                .as("size / rate, no overhead, the measured rate ignored").containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(2));
        assertThat(quote.items().get(0).reason()).contains("simulated");
        assertThat(quote.parallel()).isEqualTo(Duration.ofSeconds(3));
        assertThat(quote.feasible()).isTrue();
        assertThat(refused.feasible()).isFalse();
        assertThat(refused.items().get(0).error()).contains("sim-fail=later");
    }
}
