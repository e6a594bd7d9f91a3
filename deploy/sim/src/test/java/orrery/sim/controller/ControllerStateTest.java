package orrery.sim.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;
import orrery.model.sim.SimTime;
import orrery.sim.controller.Decision.Advance;
import orrery.sim.controller.Decision.Check;
import orrery.sim.controller.Decision.Finish;
import orrery.sim.controller.Decision.Retry;
import orrery.sim.controller.Decision.Snapshot;
import orrery.sim.controller.Decision.Wait;
import org.junit.jupiter.api.Test;

/** The idle rule of the time controller, without NATS: reports in, "wait (why)" or "advance to T" out. */
class ControllerStateTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant REAL = Instant.parse("2030-01-01T12:00:00Z");
    private static final Duration LEAK_AFTER = Duration.ofSeconds(10);

    private final ControllerState state = new ControllerState(T0, Set.of("broker", "staging"), null, LEAK_AFTER);

    @Test
    void advancesToTheEarliestWakeWhenEveryoneIsIdleJetStreamIsQuietAndTheRoundConfirms() {
        joinBoth();
        SimIdle broker = idle("broker", 0, T0.plusSeconds(3600), 1);
        SimIdle staging = idle("staging", 0, T0.plusSeconds(60), 1);
        state.idle(broker, REAL);
        state.idle(staging, REAL);

        Snapshot snapshot = check();
        assertThat(snapshot.target()).isEqualTo(T0.plusSeconds(60));
        Decision decision = state.decide(snapshot, JetStreamStatus.QUIET, List.of(StatusAnswer.of(broker), StatusAnswer.of(staging)), REAL);

        // the announcement names whose wake-up it is: staging's alone, so staging need not let the instant settle
        assertThat(decision).isEqualTo(new Advance(new SimTime(1, T0.plusSeconds(60), Set.of("staging"))));
        assertThat(((Advance) decision).time().wokenAlone("staging")).isTrue();
        assertThat(((Advance) decision).time().wokenAlone("broker")).isFalse();
        assertThat(state.time()).isEqualTo(new SimTime(1, T0.plusSeconds(60)));
        // the reports were for epoch 0: in epoch 1 everyone must report again
        assertThat(waitReason()).contains("broker (no idle report for epoch 1 yet)").contains("staging");
    }

    @Test
    void holdsUntilEveryExpectedParticipantHasJoined() {
        state.join("broker", REAL);
        state.idle(idle("broker", 0, T0.plusSeconds(60), 1), REAL);

        assertThat(state.next()).isEqualTo(new Wait("waiting for staging to join", Retry.ON_REPORT));
        state.join("staging", REAL);
        assertThat(waitReason()).isEqualTo("waiting for staging (no idle report since it joined)");
    }

    @Test
    void holdsWhileAnyParticipantHasNotReportedIdleForTheCurrentEpoch() {
        joinBoth();
        state.idle(idle("broker", 0, T0.plusSeconds(60), 1), REAL);

        assertThat(state.next()).isInstanceOf(Wait.class);
        assertThat(waitReason()).contains("staging").doesNotContain("broker");
    }

    @Test
    void noParticipantAtAllIsAReasonToWait() {
        ControllerState open = new ControllerState(T0, Set.of(), null, LEAK_AFTER);
        assertThat(open.next()).isEqualTo(new Wait("no participant has joined", Retry.ON_REPORT));
    }

    @Test
    void aMessagePublishedJustAsAParticipantReportsIdleHoldsTimeThroughTheConsumerThatHasItPending() {
        joinBoth();
        // the broker published a task (the stream acked it) and then reported idle; staging has not fetched it yet
        SimIdle broker = idle("broker", 0, T0.plusSeconds(60), 1);
        SimIdle staging = idle("staging", 0, null, 1);
        state.idle(broker, REAL);
        state.idle(staging, REAL);

        Decision decision = state.decide(check(), JetStreamStatus.holding("TASKS/staging has 1 pending, 0 awaiting ack"),
                List.of(), REAL);

        assertThat(decision).isEqualTo(new Wait("JetStream: TASKS/staging has 1 pending, 0 awaiting ack", Retry.POLL));
        assertThat(state.time()).isEqualTo(new SimTime(0, T0));
    }

    @Test
    void aParticipantThatBecameBusyBetweenItsIdleReportAndTheRoundHoldsTime() {
        joinBoth();
        SimIdle broker = idle("broker", 0, T0.plusSeconds(60), 1);
        SimIdle staging = idle("staging", 0, null, 1);
        state.idle(broker, REAL);
        state.idle(staging, REAL);
        Snapshot snapshot = check();

        // staging took a message after its report: it answers busy
        SimBusy busy = new SimBusy("staging", 0, 1, List.of("handling tasks.staging.transfer t-1"), 1);
        Decision decision = state.decide(snapshot, JetStreamStatus.QUIET, List.of(StatusAnswer.of(broker), StatusAnswer.of(busy)), REAL);

        assertThat(decision).isEqualTo(new Wait("the participants changed during the check", Retry.NOW));
        assertThat(state.time().epoch()).isZero();
        assertThat(waitReason()).contains("staging (busy, 1 in flight: handling tasks.staging.transfer t-1)");
    }

    @Test
    void aParticipantThatWasBusyAndIdleAgainBetweenItsReportAndTheRoundAnswersANewerIdleSinceAndHoldsTime() {
        joinBoth();
        SimIdle broker = idle("broker", 0, T0.plusSeconds(60), 1);
        state.idle(broker, REAL);
        state.idle(idle("staging", 0, null, 1), REAL);
        Snapshot snapshot = check();

        // staging handled a message and went idle again: its answer has idleSince 2, and a new wake
        SimIdle again = idle("staging", 0, T0.plusSeconds(30), 2);
        Decision decision = state.decide(snapshot, JetStreamStatus.QUIET, List.of(StatusAnswer.of(broker), StatusAnswer.of(again)), REAL);

        assertThat(decision).isInstanceOf(Wait.class);
        assertThat(state.time().epoch()).isZero();
        // the next check takes the newer report, and its earlier wake
        Snapshot next = check();
        assertThat(next.target()).isEqualTo(T0.plusSeconds(30));
        assertThat(state.decide(next, JetStreamStatus.QUIET, List.of(StatusAnswer.of(broker), StatusAnswer.of(again)), REAL))
                .isEqualTo(new Advance(new SimTime(1, T0.plusSeconds(30), Set.of("staging"))));
    }

    @Test
    void aBusyNoteArrivingBeforeTheCheckHoldsTimeWithoutAnyRound() {
        joinBoth();
        state.idle(idle("broker", 0, T0.plusSeconds(60), 1), REAL);
        state.idle(idle("staging", 0, null, 1), REAL);
        state.busy(new SimBusy("broker", 0, 2, List.of("REST POST /api/v1/offersets", "timer due " + T0), 1), REAL);

        assertThat(waitReason()).isEqualTo("waiting for broker (busy, 2 in flight: REST POST /api/v1/offersets, timer due " + T0 + ")");
    }

    @Test
    void aParticipantThatDoesNotAnswerTheRoundHoldsTimeAndIsAskedAgain() {
        joinBoth();
        SimIdle broker = idle("broker", 0, T0.plusSeconds(60), 1);
        state.idle(broker, REAL);
        state.idle(idle("staging", 0, null, 1), REAL);

        Decision decision = state.decide(check(), JetStreamStatus.QUIET, List.of(StatusAnswer.of(broker)), REAL);

        assertThat(decision).isEqualTo(new Wait("no answer to sim.status from staging", Retry.NOW));
        assertThat(state.next()).isInstanceOf(Check.class);
    }

    @Test
    void anAnswerThatDoesNotMatchTheReportWithoutChangingItHoldsTime() {
        joinBoth();
        SimIdle broker = idle("broker", 0, T0.plusSeconds(60), 3);
        state.idle(broker, REAL);
        state.idle(idle("staging", 0, null, 1), REAL);
        // an answer older than the report (idleSince 2 < 3) is stale: it changes nothing, and confirms nothing
        SimIdle older = idle("broker", 0, T0.plusSeconds(60), 2);

        Decision decision = state.decide(check(), JetStreamStatus.QUIET,
                List.of(StatusAnswer.of(older), StatusAnswer.of(idle("staging", 0, null, 1))), REAL);

        assertThat(decision).isEqualTo(new Wait("not idle as reported: broker", Retry.POLL));
    }

    @Test
    void anIdleReportForAnOldEpochIsIgnored() {
        joinBoth();
        advanceOnce(T0.plusSeconds(60));

        // a late copy of staging's epoch-0 report, with a higher idleSince than anything yet
        assertThat(state.idle(idle("staging", 0, T0.plusSeconds(90), 7), REAL))
                .hasValue("idle report from staging for epoch 0; the current epoch is 1");
        assertThat(waitReason()).contains("staging (no idle report for epoch 1 yet)");
    }

    @Test
    void aStaleIdleReportIsIgnored() {
        joinBoth();
        state.idle(idle("broker", 0, null, 5), REAL);
        assertThat(state.idle(idle("broker", 0, T0.plusSeconds(1), 4), REAL)).isPresent();
        state.idle(idle("staging", 0, null, 1), REAL);
        // broker's wake is still "none", as its newer report said
        assertThat(waitReason()).isEqualTo("every participant is idle and none asked for a wake: waiting for work");
    }

    @Test
    void aStaleBusyNoteDoesNotUndoANewerIdleReport() {
        joinBoth();
        state.idle(idle("broker", 0, T0.plusSeconds(60), 2), REAL);
        assertThat(state.busy(new SimBusy("broker", 0, 1, List.of("old"), 1), REAL)).isPresent();
        state.idle(idle("staging", 0, null, 1), REAL);
        assertThat(state.next()).isInstanceOf(Check.class);
    }

    @Test
    void aParticipantThatRestartsAndRejoinsReplacesItsEarlierSelf() {
        joinBoth();
        state.idle(idle("broker", 0, T0.plusSeconds(60), 9), REAL);
        state.idle(idle("staging", 0, null, 1), REAL);
        Snapshot before = check();

        // the broker is killed and restarted: it joins again, and its counter starts afresh
        SimTime reply = state.join("broker", REAL);
        assertThat(reply).isEqualTo(new SimTime(0, T0));
        assertThat(waitReason()).isEqualTo("waiting for broker (no idle report since it joined again)");
        // a check begun before the restart cannot advance
        assertThat(state.decide(before, JetStreamStatus.QUIET,
                List.of(StatusAnswer.of(idle("broker", 0, T0.plusSeconds(60), 9)), StatusAnswer.of(idle("staging", 0, null, 1))), REAL))
                .isInstanceOf(Wait.class);
        assertThat(state.time().epoch()).isZero();

        SimIdle fresh = idle("broker", 0, T0.plusSeconds(120), 1);
        assertThat(state.idle(fresh, REAL)).isEmpty();
        Snapshot after = check();
        assertThat(state.decide(after, JetStreamStatus.QUIET, List.of(StatusAnswer.of(fresh), StatusAnswer.of(idle("staging", 0, null, 1))), REAL))
                .isEqualTo(new Advance(new SimTime(1, T0.plusSeconds(120), Set.of("broker"))));
    }

    @Test
    void aJoinDuringTheChecksHoldsTime() {
        joinBoth();
        SimIdle broker = idle("broker", 0, T0.plusSeconds(60), 1);
        SimIdle staging = idle("staging", 0, null, 1);
        state.idle(broker, REAL);
        state.idle(staging, REAL);
        Snapshot snapshot = check();

        state.join("replay", REAL);

        assertThat(state.decide(snapshot, JetStreamStatus.QUIET, List.of(StatusAnswer.of(broker), StatusAnswer.of(staging)), REAL))
                .isEqualTo(new Wait("the participants changed during the check", Retry.NOW));
        assertThat(waitReason()).contains("replay (no idle report since it joined)");
    }

    @Test
    void withNobodyAskingForAWakeItWaitsForWorkWithoutChecking() {
        joinBoth();
        state.idle(idle("broker", 0, null, 1), REAL);
        state.idle(idle("staging", 0, null, 1), REAL);

        assertThat(state.next()).isEqualTo(
                new Wait("every participant is idle and none asked for a wake: waiting for work", Retry.ON_REPORT));
    }

    @Test
    void withUntilAndNobodyAskingForAWakeItFinishesOnceConfirmed() {
        ControllerState bounded = new ControllerState(T0, Set.of("broker"), T0.plusSeconds(3600), LEAK_AFTER);
        bounded.join("broker", REAL);
        SimIdle broker = idle("broker", 0, null, 1);
        bounded.idle(broker, REAL);

        Decision next = bounded.next();
        assertThat(next).isInstanceOf(Check.class);
        // not while JetStream holds work: that work may ask for a wake
        assertThat(bounded.decide(((Check) next).snapshot(), JetStreamStatus.holding("EVENTS/x has 1 pending, 0 awaiting ack"),
                List.of(), REAL)).isInstanceOf(Wait.class);
        assertThat(bounded.decide(((Check) bounded.next()).snapshot(), JetStreamStatus.QUIET, List.of(StatusAnswer.of(broker)), REAL))
                .isInstanceOf(Finish.class);
    }

    @Test
    void withUntilItStopsBeforeAWakePastIt() {
        ControllerState bounded = new ControllerState(T0, Set.of("broker"), T0.plusSeconds(3600), LEAK_AFTER);
        bounded.join("broker", REAL);
        SimIdle first = idle("broker", 0, T0.plusSeconds(3600), 1);
        bounded.idle(first, REAL);
        assertThat(bounded.decide(((Check) bounded.next()).snapshot(), JetStreamStatus.QUIET, List.of(StatusAnswer.of(first)), REAL))
                .isEqualTo(new Advance(new SimTime(1, T0.plusSeconds(3600), Set.of("broker"))));

        SimIdle second = idle("broker", 1, T0.plusSeconds(3601), 2);
        bounded.idle(second, REAL);
        Decision decision = bounded.decide(((Check) bounded.next()).snapshot(), JetStreamStatus.QUIET, List.of(StatusAnswer.of(second)), REAL);

        assertThat(decision).isEqualTo(new Finish("the next wake, " + T0.plusSeconds(3601) + ", is past " + T0.plusSeconds(3600)));
        assertThat(bounded.time()).isEqualTo(new SimTime(1, T0.plusSeconds(3600)));
    }

    @Test
    void anInstantThatIsSeveralParticipantsWakeUpNamesThemAll() {
        joinBoth();

        SimTime time = advanceWith(T0.plusSeconds(60), T0.plusSeconds(60)).time();

        assertThat(time.woken()).containsExactlyInAnyOrder("broker", "staging");
        assertThat(time.wokenAlone("broker")).isFalse(); // the broker's timers run now too: a replay must let them settle
    }

    @Test
    void aWakeInThePastStartsANewEpochWithoutMovingTimeBackwards() {
        joinBoth();
        advanceOnce(T0.plusSeconds(60));
        SimIdle broker = idle("broker", 1, T0.plusSeconds(10), 2);
        SimIdle staging = idle("staging", 1, null, 2);
        state.idle(broker, REAL);
        state.idle(staging, REAL);

        assertThat(state.decide(check(), JetStreamStatus.QUIET, List.of(StatusAnswer.of(broker), StatusAnswer.of(staging)), REAL))
                .isEqualTo(new Advance(new SimTime(2, T0.plusSeconds(60), Set.of("broker"))));
    }

    @Test
    void aParticipantThatLeavesIsNoLongerWaitedForUnlessItIsExpected() {
        joinBoth();
        state.join("replay", REAL);
        state.idle(idle("broker", 0, T0.plusSeconds(60), 1), REAL);
        state.idle(idle("staging", 0, null, 1), REAL);
        assertThat(waitReason()).contains("replay");

        assertThat(state.leave("replay")).isTrue();
        assertThat(state.next()).isInstanceOf(Check.class);

        assertThat(state.leave("staging")).isTrue();
        assertThat(state.next()).isEqualTo(new Wait("waiting for staging to join", Retry.ON_REPORT));
        assertThat(state.leave("nobody")).isFalse();
    }

    @Test
    void reportsFromParticipantsThatNeverJoinedAreIgnored() {
        assertThat(state.idle(idle("ghost", 0, T0, 1), REAL)).hasValueSatisfying(why -> assertThat(why).contains("has not joined"));
        assertThat(state.busy(new SimBusy("ghost", 0, 1, List.of(), 0), REAL)).isPresent();
        assertThat(state.joined()).isEmpty();
    }

    @Test
    void aParticipantNotIdleForLongerThanTheThresholdIsReportedWithWhatItHoldsAgainAndAgain() {
        joinBoth();
        state.idle(idle("staging", 0, null, 1), REAL);
        state.idle(idle("broker", 0, null, 1), REAL);
        state.busy(new SimBusy("broker", 0, 1, List.of("message tasks.canfar.launch x-1"), 1), REAL);

        assertThat(state.leaksDue(REAL.plusSeconds(9))).isEmpty();
        assertThat(state.nextLeakCheck()).isEqualTo(REAL.plus(LEAK_AFTER));
        List<Leak> leaks = state.leaksDue(REAL.plusSeconds(10));
        assertThat(leaks).singleElement().satisfies(leak -> {
            assertThat(leak.participant()).isEqualTo("broker");
            assertThat(leak.held()).isEqualTo(Duration.ofSeconds(10));
            assertThat(leak.what()).contains("message tasks.canfar.launch x-1");
        });
        assertThat(state.leaksDue(REAL.plusSeconds(15))).isEmpty();
        assertThat(state.leaksDue(REAL.plusSeconds(20))).singleElement()
                .satisfies(leak -> assertThat(leak.held()).isEqualTo(Duration.ofSeconds(20)));

        // idle again: nothing to report
        state.idle(idle("broker", 0, null, 2), REAL.plusSeconds(21));
        assertThat(state.leaksDue(REAL.plusSeconds(60))).isEmpty();
        assertThat(state.nextLeakCheck()).isNull();
    }

    @Test
    void aParticipantThatNeverReportsAfterJoiningOrAfterAnAdvanceIsALeakToo() {
        joinBoth();
        state.idle(idle("broker", 0, null, 1), REAL);
        assertThat(state.leaksDue(REAL.plusSeconds(10))).singleElement()
                .satisfies(leak -> assertThat(leak.what()).isEqualTo("staging (no idle report since it joined)"));
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new ControllerState(T0, Set.of(), T0.minusSeconds(1), LEAK_AFTER))
                .hasMessageContaining("before start");
        assertThatThrownBy(() -> new ControllerState(T0, Set.of(), null, Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> state.join(" ", REAL)).hasMessageContaining("name");
    }

    // --- helpers -----------------------------------------------------------------------------------

    private void joinBoth() {
        assertThat(state.join("broker", REAL)).isEqualTo(new SimTime(0, T0));
        state.join("staging", REAL);
    }

    private void advanceOnce(Instant to) {
        advanceWith(to, null);
    }

    /** Both report idle with these wakes (null: none), the checks pass, and time moves. */
    private Advance advanceWith(Instant brokerWake, Instant stagingWake) {
        SimIdle broker = idle("broker", state.time().epoch(), brokerWake, 1);
        SimIdle staging = idle("staging", state.time().epoch(), stagingWake, 1);
        state.idle(broker, REAL);
        state.idle(staging, REAL);
        Decision decision = state.decide(check(), JetStreamStatus.QUIET, List.of(StatusAnswer.of(broker), StatusAnswer.of(staging)), REAL);
        assertThat(decision).isInstanceOf(Advance.class);
        return (Advance) decision;
    }

    private Snapshot check() {
        Decision next = state.next();
        assertThat(next).isInstanceOf(Check.class);
        return ((Check) next).snapshot();
    }

    private String waitReason() {
        Decision next = state.next();
        assertThat(next).isInstanceOf(Wait.class);
        return ((Wait) next).why();
    }

    private static SimIdle idle(String who, long epoch, Instant wake, long idleSince) {
        return new SimIdle(who, epoch, wake, idleSince);
    }
}
