package orrery.fswatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import orrery.model.time.ManualTimeSource;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    private static final Duration QUIET = Duration.ofMillis(300);
    private static final Duration MAX = Duration.ofSeconds(5);

    private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2024-08-30T09:45:00Z"));
    private final List<String> settled = new ArrayList<>();
    private final List<Instant> settledAt = new ArrayList<>();
    private final Debouncer<String> debouncer = new Debouncer<>(time, QUIET, MAX, key -> {
        settled.add(key);
        settledAt.add(time.now());
    });

    @Test
    void aSingleTouchSettlesAfterTheQuietPeriod() {
        Instant start = time.now();
        debouncer.touch("a");

        time.advance(QUIET.minusMillis(1));
        assertThat(settled).isEmpty();
        time.advance(Duration.ofMillis(1));

        assertThat(settled).containsExactly("a");
        assertThat(settledAt).containsExactly(start.plus(QUIET));
        assertThat(debouncer.pendingCount()).isZero();
    }

    @Test
    void everyTouchRestartsTheQuietPeriodWithOneTimerOnly() {
        debouncer.touch("a");
        for (int i = 0; i < 10; i++) {
            time.advance(Duration.ofMillis(100));
            debouncer.touch("a");
        }
        Instant lastTouch = time.now();
        assertThat(time.pending()).isEqualTo(1);

        time.advance(Duration.ofSeconds(1));

        assertThat(settled).containsExactly("a");
        assertThat(settledAt).containsExactly(lastTouch.plus(QUIET));
    }

    @Test
    void aKeyThatNeverGoesQuietSettlesAtTheMaximumLatency() {
        Instant start = time.now();
        debouncer.touch("busy");
        while (settled.isEmpty()) {
            time.advance(Duration.ofMillis(50));
            debouncer.touch("busy");
        }

        assertThat(settledAt).containsExactly(start.plus(MAX));
        time.advance(Duration.ofMillis(50));
        assertThat(debouncer.isPending("busy")).as("touched again after settling").isTrue();
    }

    @Test
    void keysSettleIndependently() {
        debouncer.touch("a");
        time.advance(Duration.ofMillis(200));
        debouncer.touch("b");
        time.advance(Duration.ofMillis(100));
        assertThat(settled).containsExactly("a");
        time.advance(Duration.ofMillis(200));
        assertThat(settled).containsExactly("a", "b");
    }

    @Test
    void aCancelledKeyNeverSettles() {
        debouncer.touch("a");
        assertThat(debouncer.cancel("a")).isTrue();
        assertThat(debouncer.cancel("a")).isFalse();

        time.advance(MAX);

        assertThat(settled).isEmpty();
    }

    @Test
    void aZeroQuietPeriodSettlesAtOnce() {
        Debouncer<String> eager = new Debouncer<>(time, Duration.ZERO, Duration.ZERO, settled::add);
        eager.touch("now");
        assertThat(settled).containsExactly("now");
    }

    @Test
    void refusesAMaximumBelowTheQuietPeriod() {
        assertThatThrownBy(() -> new Debouncer<String>(time, MAX, QUIET, key -> { }))
                .hasMessageContaining("max latency");
    }
}
