package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserQuotaTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_000_000);
    private final UserQuota quota = new UserQuota(10, Duration.ofDays(30));

    @Test
    void refusesWhatWouldHoldTooManyCoresAtOnce() {
        List<Booking> held = List.of(new Booking(1_000_100, 1_000_200, 6), new Booking(1_000_150, 1_000_300, 3));
        assertThat(quota.refusal(1_000_160, 1_000_170, 2, NOW, held)).get().asString()
                .contains("10 cores held at once").contains("hold 9");
        assertThat(quota.refusal(1_000_160, 1_000_170, 1, NOW, held)).isEmpty();
        assertThat(quota.refusal(1_000_200, 1_000_300, 7, NOW, held)).isEmpty();
        assertThat(quota.refusal(1_000_300, 1_000_400, 10, NOW, held)).isEmpty();
    }

    @Test
    void refusesWhatEndsBeyondTheHorizon() {
        long horizon = NOW.plus(Duration.ofDays(30)).getEpochSecond();
        assertThat(quota.refusal(horizon - 10, horizon, 1, NOW, List.of())).isEmpty();
        assertThat(quota.refusal(horizon - 10, horizon + 1, 1, NOW, List.of())).get().asString().contains("horizon");
    }

    @Test
    void narrowsAPoolsCalendarToWhatTheUserMayStillTake() {
        CapacitySchedule schedule = new CapacitySchedule(List.of(new Segment(0, 4_000_000, 50)));
        CapacityCalendar pool = new CapacityCalendar(schedule, List.of(new Booking(1_000_000, 1_100_000, 45)));
        List<Booking> held = List.of(new Booking(1_050_000, 1_200_000, 8));

        Calendar mine = quota.limit(pool, held, NOW);

        assertThat(mine.largestFree(1_000_000, 1_050_000)).isEqualTo(5);  // the pool is the limit
        assertThat(mine.largestFree(1_050_000, 1_100_000)).isEqualTo(2);  // the quota is: 10 - 8
        assertThat(mine.largestFree(1_100_000, 1_200_000)).isEqualTo(2);
        assertThat(mine.largestFree(1_200_000, 1_300_000)).isEqualTo(10);
        long horizon = NOW.plus(Duration.ofDays(30)).getEpochSecond();
        assertThat(mine.largestFree(horizon, horizon + 10)).isZero();     // nothing beyond the horizon
        assertThat(pool.largestFree(1_200_000, 1_300_000)).isEqualTo(50); // the pool itself is unchanged
    }
}
