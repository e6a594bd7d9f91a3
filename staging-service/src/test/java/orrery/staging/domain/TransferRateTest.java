package orrery.staging.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransferRateTest {

    @Test
    void smallTransfersAreNotSamples() {
        assertThat(TransferRate.isSample(1000, Duration.ofMillis(10))).isFalse();
        assertThat(TransferRate.isSample(10_000_000, Duration.ZERO)).isFalse();
        assertThat(TransferRate.isSample(10_000_000, Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void theAverageMovesTowardsNewSamples() {
        double first = TransferRate.update(null, 100);
        double second = TransferRate.update(first, 200);

        assertThat(first).isEqualTo(100);
        assertThat(second).isEqualTo(130);
        assertThat(TransferRate.sample(10_000_000, Duration.ofSeconds(2))).isEqualTo(5_000_000);
    }

    @Test
    void backoffDoublesUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 4);

        assertThat(backoff.before(1)).isZero();
        assertThat(backoff.before(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.before(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.before(5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.mayRetry(3)).isTrue();
        assertThat(backoff.mayRetry(4)).isFalse();
    }
}
