package orrery.model.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IsoScheduleProperties {

    @Provide
    Arbitrary<Instant> instants() {
        // 1970 .. 2200, with and without fractions of a second
        Arbitrary<Long> seconds = Arbitraries.longs().between(0, 7_258_118_400L);
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999_999_999));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<Duration> durations() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(0, 400L * 24 * 3600);
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999_999_999));
        return Combinators.combine(seconds, nanos).as((s, n) -> Duration.ofSeconds(s, n));
    }

    @Provide
    Arbitrary<ZoneOffset> offsets() {
        return Arbitraries.integers().between(-18 * 4, 18 * 4).map(q -> ZoneOffset.ofTotalSeconds(q * 15 * 60));
    }

    @Property
    void startDurationRoundTrips(@ForAll("instants") Instant start, @ForAll("durations") Duration length) {
        TimeInterval interval = TimeInterval.of(start, length);

        assertThat(IsoSchedule.parseInterval(interval.toIsoStartDuration())).isEqualTo(interval);
    }

    @Property
    void startEndRoundTrips(@ForAll("instants") Instant start, @ForAll("durations") Duration length) {
        TimeInterval interval = TimeInterval.of(start, length);

        assertThat(IsoSchedule.parseInterval(interval.toIsoStartEnd())).isEqualTo(interval);
    }

    @Property
    void durationsRoundTrip(@ForAll("durations") Duration length) {
        assertThat(IsoSchedule.parseDuration(IsoSchedule.format(length))).isEqualTo(length);
    }

    @Property
    void theOffsetDoesNotChangeTheInstant(@ForAll("instants") Instant instant, @ForAll("offsets") ZoneOffset offset) {
        String written = instant.atOffset(offset).toString();

        assertThat(IsoSchedule.parseInstant(written)).isEqualTo(instant);
    }
}
