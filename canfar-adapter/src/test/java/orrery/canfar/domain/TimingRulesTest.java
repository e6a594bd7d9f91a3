package orrery.canfar.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The poll back-off and the start-up moving average. */
class TimingRulesTest {

    @Test
    void pollsLessOftenWhileNothingChangesUpToTheCeiling() {
        PollBackoff backoff = new PollBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 2.0);

        Duration first = backoff.next(null, false);
        Duration second = backoff.next(first, false);
        Duration third = backoff.next(second, false);
        Duration fourth = backoff.next(third, false);

        assertThat(first).isEqualTo(Duration.ofSeconds(1));
        assertThat(second).isEqualTo(Duration.ofSeconds(2));
        assertThat(third).isEqualTo(Duration.ofSeconds(4));
        assertThat(fourth).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.next(fourth, true)).as("after a change").isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> new PollBackoff(Duration.ZERO, Duration.ofSeconds(1), 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStartupEstimateFollowsRecentStartUps() {
        StartupEstimate none = StartupEstimate.none(Duration.ofMinutes(3));

        StartupEstimate one = none.observe(Duration.ofSeconds(60), 3);
        StartupEstimate two = one.observe(Duration.ofSeconds(120), 3);
        StartupEstimate three = two.observe(Duration.ofSeconds(30), 3);
        StartupEstimate four = three.observe(Duration.ofSeconds(210), 3);

        assertThat(one).isEqualTo(new StartupEstimate(Duration.ofSeconds(60), 1));
        assertThat(two).isEqualTo(new StartupEstimate(Duration.ofSeconds(90), 2));
        assertThat(three).isEqualTo(new StartupEstimate(Duration.ofSeconds(70), 3));
        // Past the window each new start-up weighs 1/3: 70 + (210 - 70) / 3.
        assertThat(four.mean()).isEqualTo(Duration.ofMillis(116_667));
        assertThat(four.samples()).isEqualTo(3);
        assertThat(none.observe(Duration.ofSeconds(-5), 3).mean()).isEqualTo(Duration.ZERO);
    }
}
