package orrery.model.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualTimeSourceTest {

    private static final Instant T0 = Instant.parse("2024-08-30T09:00:00Z");

    @Test
    void runsTimersInDueOrderAtTheirOwnInstants() {
        ManualTimeSource time = new ManualTimeSource(T0);
        List<String> log = new ArrayList<>();
        time.schedule(T0.plusSeconds(30), () -> log.add("b@" + time.now()));
        time.schedule(T0.plusSeconds(10), () -> log.add("a@" + time.now()));
        time.schedule(T0.plusSeconds(30), () -> log.add("c@" + time.now()));
        time.schedule(T0.plusSeconds(90), () -> log.add("late"));

        time.advance(Duration.ofMinutes(1));

        assertThat(log).containsExactly("a@2024-08-30T09:00:10Z", "b@2024-08-30T09:00:30Z", "c@2024-08-30T09:00:30Z");
        assertThat(time.now()).isEqualTo(T0.plusSeconds(60));
        assertThat(time.nextDue()).isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void aCancelledTimerDoesNotRun() {
        ManualTimeSource time = new ManualTimeSource(T0);
        List<String> log = new ArrayList<>();
        TimeSource.Timer timer = time.scheduleAfter(Duration.ofSeconds(5), () -> log.add("ran"));

        assertThat(timer.cancel()).isTrue();
        time.advance(Duration.ofSeconds(10));

        assertThat(log).isEmpty();
        assertThat(timer.cancel()).isFalse();
        assertThat(time.pending()).isZero();
    }

    @Test
    void aTimerInThePastRunsAtOnce() {
        ManualTimeSource time = new ManualTimeSource(T0);
        List<Instant> log = new ArrayList<>();

        time.schedule(T0.minusSeconds(5), () -> log.add(time.now()));

        assertThat(log).containsExactly(T0);
    }

    @Test
    void timersScheduledByTimersRunInTheSameAdvance() {
        ManualTimeSource time = new ManualTimeSource(T0);
        List<Instant> log = new ArrayList<>();
        time.schedule(T0.plusSeconds(1), () -> time.scheduleAfter(Duration.ofSeconds(1), () -> log.add(time.now())));

        time.advance(Duration.ofSeconds(5));

        assertThat(log).containsExactly(T0.plusSeconds(2));
    }

    @Test
    void refusesToGoBackwards() {
        ManualTimeSource time = new ManualTimeSource(T0);

        assertThatThrownBy(() -> time.advanceTo(T0.minusSeconds(1))).hasMessageContaining("only moves forward");
        assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1))).hasMessageContaining("only moves forward");
    }
}
