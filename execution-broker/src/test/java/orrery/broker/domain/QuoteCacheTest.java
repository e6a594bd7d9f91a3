package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuoteCacheTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void anAnswerIsReusedForItsLifetimeOnly() {
        QuoteCache<String, Integer> cache = new QuoteCache<>(Duration.ofSeconds(10), 10);
        cache.put("image:4 cores", 42, NOW);

        assertThat(cache.get("image:4 cores", NOW.plusSeconds(9))).contains(42);
        assertThat(cache.get("image:8 cores", NOW.plusSeconds(1))).isEmpty();
        assertThat(cache.get("image:4 cores", NOW.plusSeconds(10))).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aClockSetBackDoesNotMakeAnOldAnswerLastLonger() {
        QuoteCache<String, Integer> cache = new QuoteCache<>(Duration.ofSeconds(10), 10);
        cache.put("q", 1, NOW);
        assertThat(cache.get("q", NOW.minusSeconds(1))).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedGoesFirstWhenFull() {
        QuoteCache<String, Integer> cache = new QuoteCache<>(Duration.ofSeconds(10), 2);
        cache.put("a", 1, NOW);
        cache.put("b", 2, NOW);
        cache.get("a", NOW);
        cache.put("c", 3, NOW);
        assertThat(cache.get("a", NOW)).contains(1);
        assertThat(cache.get("b", NOW)).isEmpty();
        assertThat(cache.get("c", NOW)).contains(3);
    }

    @Test
    void aZeroLifetimeKeepsNothing() {
        QuoteCache<String, Integer> cache = new QuoteCache<>(Duration.ZERO, 2);
        cache.put("a", 1, NOW);
        assertThat(cache.get("a", NOW)).isEmpty();
    }
}
