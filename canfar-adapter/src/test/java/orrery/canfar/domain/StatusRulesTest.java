package orrery.canfar.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static orrery.model.canfar.SessionStatus.Failed;
import static orrery.model.canfar.SessionStatus.Pending;
import static orrery.model.canfar.SessionStatus.Running;
import static orrery.model.canfar.SessionStatus.Succeeded;
import static orrery.model.canfar.SessionStatus.Terminated;
import static orrery.model.canfar.SessionStatus.Terminating;

import java.time.Instant;
import orrery.model.canfar.SessionStatus;
import org.junit.jupiter.api.Test;

class StatusRulesTest {

    private static Observation seen(SessionStatus status) {
        return Observation.of(status);
    }

    private static Observation started(SessionStatus status) {
        return new Observation(status, Instant.parse("2024-08-30T09:45:00Z"), null, 0, null, null, false);
    }

    @Test
    void followsThePlatform() {
        assertThat(StatusRules.next(Pending, false, seen(Running))).isEqualTo(Running);
        assertThat(StatusRules.next(Running, false, seen(Succeeded))).isEqualTo(Succeeded);
        assertThat(StatusRules.next(Running, false, seen(Failed))).isEqualTo(Failed);
        assertThat(StatusRules.next(Running, false, seen(null))).as("unknown platform status").isEqualTo(Running);
    }

    @Test
    void neverLeavesAFinalStatusNorGoesBackToPending() {
        assertThat(StatusRules.next(Succeeded, false, seen(Running))).isEqualTo(Succeeded);
        assertThat(StatusRules.next(Failed, true, Observation.gone("gone"))).isEqualTo(Failed);
        assertThat(StatusRules.next(Running, false, seen(Pending))).isEqualTo(Running);
    }

    @Test
    void aSessionThatStartedPassesThroughRunningHoweverBriefly() {
        assertThat(StatusRules.next(Pending, false, started(Succeeded))).isEqualTo(Running);
        assertThat(StatusRules.next(Running, false, started(Succeeded))).isEqualTo(Succeeded);
        assertThat(StatusRules.next(Pending, false, seen(Failed))).as("never started").isEqualTo(Failed);
    }

    @Test
    void aDeletedSessionIsTerminatingUntilItEndsThenTerminated() {
        assertThat(StatusRules.next(Terminating, true, seen(Running))).isEqualTo(Terminating);
        assertThat(StatusRules.next(Terminating, true, started(Failed))).isEqualTo(Terminated);
        assertThat(StatusRules.next(Terminating, true, Observation.gone("gone"))).isEqualTo(Terminated);
        assertThat(StatusRules.next(Running, false, Observation.gone("expired"))).isEqualTo(Terminated);
        assertThat(StatusRules.next(Running, false, seen(Terminating))).isEqualTo(Terminating);
    }
}
