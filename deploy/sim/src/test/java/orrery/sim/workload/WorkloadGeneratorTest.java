package orrery.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seeded generator: the same seed gives the same workload; the parameters shape it. */
class WorkloadGeneratorTest {

    private static final WorkloadGenerator.Spec HUNDRED = WorkloadGenerator.Spec.defaults(100, null);

    @Test
    void theSameSeedGivesTheSameWorkloadAndAnotherSeedAnother() {
        Workload a = WorkloadGenerator.generate(HUNDRED, 42);
        Workload b = WorkloadGenerator.generate(HUNDRED, 42);
        Workload c = WorkloadGenerator.generate(HUNDRED, 43);
        assertThat(a.requests()).hasSize(100).isEqualTo(b.requests());
        assertThat(a.requests()).isNotEqualTo(c.requests());
        assertThat(a.source()).isEqualTo(b.source()).contains("seed 42");
    }

    @Test
    void aLongerCountExtendsAShorterOneUnchanged() {
        List<Request> ten = WorkloadGenerator.generate(WorkloadGenerator.Spec.defaults(10, null), 5).requests();
        List<Request> hundred = WorkloadGenerator.generate(HUNDRED, 5).requests();
        assertThat(hundred.subList(0, 10)).isEqualTo(ten);
    }

    @Test
    void requestsStayWithinTheirRanges() {
        Workload w = WorkloadGenerator.generate(HUNDRED, 1);
        assertThat(w.requests().get(0).submit()).isEqualTo(Duration.ZERO);
        assertThat(w.requests()).allSatisfy(r -> {
            assertThat(r.cores()).isBetween(1, 16);
            assertThat(r.duration()).isBetween(Duration.ofMinutes(30), Duration.ofHours(4));
            assertThat(r.duration().toSecondsPart()).isZero();
            assertThat(r.runtime()).isBetween(r.duration().dividedBy(2), r.duration());
            assertThat(r.window()).isBetween(Duration.ofHours(1), Duration.ofHours(4));
            assertThat(r.data()).hasSizeLessThanOrEqualTo(r.failStaging() ? 3 : 2);
            assertThat(r.data()).allSatisfy(d -> assertThat(d.size()).isBetween(1_000_000L, 2_000_000_000L));
            assertThat(r.user()).matches("sim-user-[1-8]");
            assertThat(r.exitStatus()).isIn(0, 1);
            if (r.cancels()) {
                assertThat(r.cancelAfter()).isLessThanOrEqualTo(r.window().plus(r.duration()));
            }
            assertThat(r.memory()).isNull();
        });
        // 100 arrivals at 6 an hour take about 16.5 hours; far less or far more means the rate is not applied
        assertThat(w.submitSpan()).isBetween(Duration.ofHours(10), Duration.ofHours(25));
        assertThat(w.requests()).extracting(Request::kind).contains(Request.Kind.NOTEBOOK, Request.Kind.COMMAND);
    }

    @Test
    void ratesOfOneAndZeroApplyToEveryRequest() {
        RequestShape always = new RequestShape(Range.Durations.of(Duration.ofHours(2)), new Range.Longs(0, 0), new Range.Longs(5, 5),
                1, 1, 1, 1);
        WorkloadGenerator.Spec spec = new WorkloadGenerator.Spec(20, null, 60, new Range.Longs(4, 4),
                Range.Durations.of(Duration.ofHours(1)), new Range.Doubles(1, 1), 1, always);
        assertThat(WorkloadGenerator.generate(spec, 3).requests()).allSatisfy(r -> {
            assertThat(r.kind()).isEqualTo(Request.Kind.NOTEBOOK);
            assertThat(r.failStaging()).isTrue();
            assertThat(r.exitStatus()).isEqualTo(1);
            assertThat(r.cancels()).isTrue();
            assertThat(r.cores()).isEqualTo(4);
            assertThat(r.runtime()).isEqualTo(Duration.ofHours(1));
            assertThat(r.user()).isEqualTo("sim-user-1");
        });
    }

    @Test
    void aSpanEndsTheArrivals() {
        Workload w = WorkloadGenerator.generate(WorkloadGenerator.Spec.defaults(null, Duration.ofDays(1)), 9);
        assertThat(w.requests()).isNotEmpty();
        assertThat(w.requests().get(w.requests().size() - 1).submit()).isLessThan(Duration.ofDays(1));
        // about 144 arrivals in a day at 6 an hour
        assertThat(w.requests().size()).isBetween(90, 200);
    }

    @Test
    void badParametersAreRefusedWithTheirName() {
        assertThatThrownBy(() -> WorkloadGenerator.Spec.defaults(null, null)).hasMessageContaining("--count").hasMessageContaining("--span");
        WorkloadGenerator.Spec d = HUNDRED;
        assertThatThrownBy(() -> new WorkloadGenerator.Spec(10, null, 0, d.cores(), d.durations(), d.runtimeFraction(), 1, d.shape()))
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> new WorkloadGenerator.Spec(10, null, 1, new Range.Longs(0, 2), d.durations(), d.runtimeFraction(), 1,
                d.shape())).hasMessageContaining("--cores");
        assertThatThrownBy(() -> new RequestShape(d.shape().windows(), d.shape().items(), d.shape().itemSizes(), 1.5, 0, 0, 0))
                .hasMessageContaining("notebook rate");
    }

    @Test
    void rangesParseBothSpellings() {
        assertThat(Range.Longs.parse("1..16")).isEqualTo(new Range.Longs(1, 16));
        assertThat(Range.Longs.parse("2-8")).isEqualTo(new Range.Longs(2, 8));
        assertThat(Range.Longs.parse("4")).isEqualTo(new Range.Longs(4, 4));
        assertThat(Range.Durations.parse("PT30M..PT4H")).isEqualTo(new Range.Durations(Duration.ofMinutes(30), Duration.ofHours(4)));
        assertThat(Range.Durations.parse("PT30M-PT1H")).isEqualTo(new Range.Durations(Duration.ofMinutes(30), Duration.ofHours(1)));
        assertThat(Range.Doubles.parse("0.5..1.2")).isEqualTo(new Range.Doubles(0.5, 1.2));
        assertThatThrownBy(() -> Range.Longs.parse("a..b")).hasMessageContaining("'a..b' is not a range of whole numbers");
        assertThatThrownBy(() -> Range.Longs.parse("9..1")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> Range.Durations.parse("2h..3h")).hasMessageContaining("ISO-8601");
    }
}
