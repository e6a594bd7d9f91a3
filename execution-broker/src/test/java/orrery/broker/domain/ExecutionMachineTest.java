package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static orrery.broker.domain.Executions.DURATION;
import static orrery.broker.domain.Executions.PREP_START;
import static orrery.broker.domain.Executions.START;
import static orrery.broker.domain.Executions.STARTUP;

import java.time.Instant;
import java.util.List;
import orrery.broker.domain.Effect.GiveBackFrom;
import orrery.broker.domain.Effect.NothingDue;
import orrery.broker.domain.Effect.PhaseChanged;
import orrery.broker.domain.Effect.ReleaseReservation;
import orrery.broker.domain.Effect.Send;
import orrery.broker.domain.Effect.WakeAt;
import orrery.broker.domain.Executions.Drive;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionStatus;
import orrery.model.messaging.MessageTypes;
import orrery.model.staging.CancelTask;
import orrery.model.task.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The execution state machine alone: no Quarkus, database or NATS. */
class ExecutionMachineTest {

    private static final Instant END = START.plus(DURATION);

    @Test
    void drivesAnExecutionFromAcceptedToCompleted() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE));

        assertThat(drive.accept().effects()).containsExactly(new WakeAt(PREP_START),
                new PhaseChanged(null, Phase.ACCEPTED, "accepted; preparation starts at " + PREP_START, null));
        Transition preparing = drive.due(PREP_START);
        assertThat(preparing.effects()).first().isEqualTo(new WakeAt(START));
        assertThat(drive.sent()).containsExactly(MessageTypes.STAGING_DIRECTORY);
        drive.report("folder", TaskState.COMPLETED, PREP_START.plusSeconds(5));
        assertThat(drive.sent()).containsExactly(MessageTypes.STAGING_DIRECTORY, MessageTypes.STAGING_TRANSFER,
                MessageTypes.STAGING_TRANSFER);
        drive.report("stage-0", TaskState.COMPLETED, PREP_START.plusSeconds(60));
        assertThat(drive.state.phase()).isEqualTo(Phase.PREPARING);
        Transition waiting = drive.report("stage-1", TaskState.COMPLETED, PREP_START.plusSeconds(600));
        assertThat(waiting.effects()).first().isEqualTo(new WakeAt(START.minus(STARTUP)));
        drive.due(START.minus(STARTUP));
        assertThat(drive.sent()).endsWith(MessageTypes.CANFAR_LAUNCH);
        Transition running = drive.report("launch", TaskState.COMPLETED, START);
        assertThat(running.effects()).first().isEqualTo(new WakeAt(END));
        assertThat(drive.state.sessionId()).isEqualTo("session-1");
        assertThat(drive.state.startedAt()).isEqualTo(START);
        drive.due(END);
        assertThat(drive.sent()).endsWith(MessageTypes.CANFAR_DELETE);
        Transition completed = drive.report("delete", TaskState.COMPLETED, END.plusSeconds(3));

        assertThat(completed.effects()).contains(new NothingDue(), new GiveBackFrom(END.plusSeconds(3)));
        assertThat(drive.phases()).containsExactly(Phase.ACCEPTED, Phase.PREPARING, Phase.WAITING, Phase.RUNNING, Phase.FINISHING,
                Phase.COMPLETED);
        assertThat(drive.state.finishedAt()).isEqualTo(END.plusSeconds(3));
        assertThat(drive.effects()).doesNotHaveAnyElementsOfTypes(ReleaseReservation.class);
        assertThat(drive.state.steps()).allMatch(Step::isFinal);
    }

    @Test
    void aTransfersProgressIsKeptFromRunningReportsAndFromTheFinalOne() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE));
        drive.accept();
        drive.due(Executions.PREP_START);
        String stage = drive.state.taskId("stage-0");
        drive.apply(new ExecutionInput.StepReport(stage, 1, TaskState.RUNNING, 10L, 100L, null, null, null, 1), Executions.PREP_START);
        assertThat(step(drive, stage).progressDone()).isEqualTo(10L);
        drive.apply(new ExecutionInput.StepReport(stage, 2, TaskState.COMPLETED, 100L, 100L, "{}", null, null, 2),
                Executions.PREP_START.plusSeconds(1));
        assertThat(step(drive, stage).progressDone()).as("every byte, as the final report says").isEqualTo(100L);
        drive.apply(new ExecutionInput.StepReport(drive.state.taskId("stage-1"), 1, TaskState.COMPLETED, null, null, "{}", null, null, 3),
                Executions.PREP_START.plusSeconds(2));
        assertThat(step(drive, stage).progressDone()).as("a report without progress changes none").isEqualTo(100L);
    }

    private static Step step(Drive drive, String taskId) {
        return drive.state.steps().stream().filter(s -> s.taskId().equals(taskId)).findFirst().orElseThrow();
    }

    @Test
    void aFailedStageFailsTheExecutionCancelsTheOtherAndReleasesTheReservation() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE));
        drive.accept();
        drive.due(PREP_START);
        drive.report("folder", TaskState.COMPLETED, PREP_START.plusSeconds(5));

        Transition failed = drive.report("stage-1", TaskState.FAILED, PREP_START.plusSeconds(30));

        assertThat(drive.state.phase()).isEqualTo(Phase.FAILED);
        assertThat(drive.state.reason()).isEqualTo("staging data.fits failed: disk full");
        assertThat(failed.effects()).contains(new ReleaseReservation(), new NothingDue(),
                new Send(drive.state.taskId("stage-0") + "-cancel", MessageTypes.STAGING_CANCEL, "tasks.staging.cancel",
                        new CancelTask(drive.state.taskId("stage-0"))));
        assertThat(drive.state.step(drive.state.taskId("stage-0")).orElseThrow().status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(drive.sent()).doesNotContain(MessageTypes.CANFAR_DELETE);
    }

    @Test
    void preparationNotFinishedByTheStartFailsUnderFail() {
        Drive drive = new Drive(Executions.offered(LatePolicy.FAIL));
        drive.accept();
        drive.due(PREP_START);

        drive.due(START);

        assertThat(drive.state.phase()).isEqualTo(Phase.FAILED);
        assertThat(drive.state.reason()).contains("late policy FAIL");
        assertThat(drive.effects()).contains(new ReleaseReservation());
    }

    @Test
    void preparationNotFinishedByTheStartStartsLateUnderStartLate() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE));
        drive.accept();
        drive.due(PREP_START);

        Transition late = drive.due(START);

        assertThat(drive.state.late()).isTrue();
        assertThat(drive.state.phase()).isEqualTo(Phase.PREPARING);
        assertThat(late.effects()).first().isEqualTo(new NothingDue());
        drive.report("folder", TaskState.COMPLETED, START.plusSeconds(60));
        drive.report("stage-0", TaskState.COMPLETED, START.plusSeconds(70));
        Transition prepared = drive.report("stage-1", TaskState.COMPLETED, START.plusSeconds(80));
        assertThat(prepared.effects()).first().isEqualTo(new WakeAt(END));
        assertThat(drive.sent()).endsWith(MessageTypes.CANFAR_LAUNCH); // at once, not at start - start-up
        assertThat(drive.state.phase()).isEqualTo(Phase.WAITING);
    }

    @Test
    void aLaunchDueAfterTheBookingEndedFails() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE)).prepared();

        drive.due(END);

        assertThat(drive.state.phase()).isEqualTo(Phase.FAILED);
        assertThat(drive.state.reason()).contains("before the session could start");
        assertThat(drive.sent()).doesNotContain(MessageTypes.CANFAR_LAUNCH);
    }

    @Test
    void staleAndRepeatedReportsChangeNothing() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE));
        drive.accept();
        drive.due(PREP_START);
        drive.report("folder", TaskState.COMPLETED, PREP_START.plusSeconds(5));
        Execution before = drive.state;

        Transition repeated = drive.staleReport("folder", TaskState.COMPLETED, PREP_START.plusSeconds(6));
        Transition older = drive.staleReport("folder", TaskState.RUNNING, PREP_START.plusSeconds(7));
        Transition unknown = drive.apply(new ExecutionInput.StepReport("eb-someone-else", 9, TaskState.FAILED, null, null, null, null,
                "no", 1), PREP_START.plusSeconds(8));

        assertThat(List.of(repeated, older, unknown)).allMatch(t -> t.changesNothing(before));
    }

    @Test
    void aReportThatArrivesAfterItsPhaseMovedOnOnlyUpdatesItsStep() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE));
        drive.accept();
        drive.due(PREP_START);
        drive.report("folder", TaskState.COMPLETED, PREP_START.plusSeconds(5));
        drive.apply(new ExecutionInput.Cancel("cancelled by its owner while PREPARING"), PREP_START.plusSeconds(10));
        int effects = drive.effects().size();

        drive.report("stage-0", TaskState.COMPLETED, PREP_START.plusSeconds(20));

        assertThat(drive.effects()).hasSize(effects);
        assertThat(drive.state.phase()).isEqualTo(Phase.CANCELLED);
    }

    @ParameterizedTest
    @EnumSource(Phase.class)
    void cancelUndoesWhatIsUnderWayInEveryPhaseThatCanBeCancelled(Phase phase) {
        Drive drive = driveTo(phase);
        Execution before = drive.state;

        Transition cancel = drive.apply(new ExecutionInput.Cancel("cancelled by its owner"), drive.state.startAt().plusSeconds(1));

        if (!before.phase().canBecome(Phase.CANCELLED)) {
            assertThat(cancel.changesNothing(before)).isTrue();
            return;
        }
        assertThat(drive.state.phase()).isEqualTo(Phase.CANCELLED);
        assertThat(cancel.effects()).contains(new ReleaseReservation(), new NothingDue());
        assertThat(cancel.effects()).last().isEqualTo(new PhaseChanged(before.phase(), Phase.CANCELLED, "cancelled by its owner",
                before.sessionId()));
        assertThat(drive.state.steps()).filteredOn(s -> s.kind() == StepKind.FOLDER || s.kind() == StepKind.STAGE)
                .allMatch(Step::isFinal);
        boolean sessionStarted = before.sessionId() != null;
        assertThat(cancel.effects().stream().anyMatch(e -> e instanceof Send send && send.type().equals(MessageTypes.CANFAR_DELETE)))
                .isEqualTo(sessionStarted);
    }

    @Test
    void aSessionLaunchedAfterACancelIsEnded() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE)).prepared();
        drive.due(START.minus(STARTUP));
        drive.apply(new ExecutionInput.Cancel("cancelled by its owner while WAITING"), START.minusSeconds(60));
        assertThat(drive.sent()).doesNotContain(MessageTypes.CANFAR_DELETE);

        drive.report("launch", TaskState.COMPLETED, START);

        assertThat(drive.sent()).endsWith(MessageTypes.CANFAR_DELETE);
        assertThat(drive.state.phase()).isEqualTo(Phase.CANCELLED);
    }

    @Test
    void aSessionEventThatOvertakesTheLaunchReportStartsTheRunAndTheReportThenOnlyFinishesTheStep() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE)).prepared();
        drive.due(START.minus(STARTUP));
        String launch = drive.state.taskId("launch");

        drive.apply(new ExecutionInput.SessionChange(new SessionEvent("session-1", launch, null, SessionStatus.Running, START,
                null, null, null)), START);
        assertThat(drive.state.phase()).isEqualTo(Phase.RUNNING);
        assertThat(drive.state.sessionId()).isEqualTo("session-1");
        assertThat(drive.state.steps()).filteredOn(step -> step.taskId().equals(launch))
                .singleElement().extracting(Step::status).isEqualTo(StepStatus.COMPLETED);
        Execution running = drive.state;
        Transition report = drive.report("launch", TaskState.COMPLETED, START.plusSeconds(1));

        assertThat(report.changesNothing(running)).isTrue();
        assertThat(drive.phases()).containsExactly(Phase.ACCEPTED, Phase.PREPARING, Phase.WAITING, Phase.RUNNING);
        assertThat(drive.state.startedAt()).isEqualTo(START);
    }

    @Test
    void aSessionFirstSeenAfterACancelIsEnded() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE)).prepared();
        drive.due(START.minus(STARTUP));
        String launch = drive.state.taskId("launch");
        drive.apply(new ExecutionInput.Cancel("changed my mind"), START.minus(STARTUP));

        drive.apply(new ExecutionInput.SessionChange(new SessionEvent("session-1", launch, null, SessionStatus.Pending, START,
                null, null, null)), START);

        assertThat(drive.state.phase()).isEqualTo(Phase.CANCELLED);
        assertThat(drive.sent()).endsWith(MessageTypes.CANFAR_DELETE);
    }

    @Test
    void aSessionEventNamingAnotherTaskIsNotTakenForThisExecutionsSession() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE)).prepared();
        drive.due(START.minus(STARTUP));

        Transition other = drive.apply(new ExecutionInput.SessionChange(new SessionEvent("session-9", "eb-other-launch", null,
                SessionStatus.Running, START, null, null, null)), START);

        assertThat(other.effects()).isEmpty();
        assertThat(drive.state.sessionId()).isNull();
        assertThat(drive.state.phase()).isEqualTo(Phase.WAITING);
    }

    @Test
    void aHeadlessSessionThatEndsByItselfFinishesEarly() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE)).running();

        drive.apply(session(SessionStatus.Succeeded, 0), START.plusSeconds(600));

        assertThat(drive.state.phase()).isEqualTo(Phase.FINISHING);
        assertThat(drive.sent()).endsWith(MessageTypes.CANFAR_DELETE);
        drive.report("delete", TaskState.COMPLETED, START.plusSeconds(605));
        assertThat(drive.effects()).contains(new GiveBackFrom(START.plusSeconds(605)));
    }

    @Test
    void aSessionThatFailsFailsTheExecutionWithItsExitStatus() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE)).running();

        drive.apply(session(SessionStatus.Failed, 3), START.plusSeconds(600));

        assertThat(drive.state.phase()).isEqualTo(Phase.FAILED);
        assertThat(drive.state.reason()).isEqualTo("the session failed with exit status 3");
        assertThat(drive.sent()).endsWith(MessageTypes.CANFAR_DELETE);
    }

    @Test
    void anUndeliverableCommandFailsALiveExecutionButNotAFinishedOne() {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE));
        drive.accept();

        drive.apply(new ExecutionInput.Undeliverable("2 MB is over the server's limit"), PREP_START);
        Execution failed = drive.state;
        Transition again = drive.apply(new ExecutionInput.Undeliverable("again"), PREP_START);

        assertThat(failed.phase()).isEqualTo(Phase.FAILED);
        assertThat(failed.reason()).contains("could not be sent: 2 MB");
        assertThat(again.changesNothing(failed)).isTrue();
    }

    /** An execution driven to {@code phase} the ordinary way (offers end there untouched). */
    static Drive driveTo(Phase phase) {
        Drive drive = new Drive(Executions.offered(LatePolicy.START_LATE));
        switch (phase) {
            case OFFERED, REJECTED, EXPIRED -> {
                return drive;
            }
            case ACCEPTED -> drive.accept();
            case PREPARING -> {
                drive.accept();
                drive.due(PREP_START);
                drive.report("folder", TaskState.COMPLETED, PREP_START.plusSeconds(5));
            }
            case WAITING -> drive.prepared();
            case RUNNING -> drive.running();
            case FINISHING -> {
                drive.running();
                drive.due(END);
            }
            case COMPLETED -> {
                drive.running();
                drive.due(END);
                drive.report("delete", TaskState.COMPLETED, END);
            }
            case CANCELLED -> {
                drive.accept();
                drive.apply(new ExecutionInput.Cancel("cancelled"), PREP_START);
            }
            case FAILED -> {
                drive.accept();
                drive.apply(new ExecutionInput.Undeliverable("refused"), PREP_START);
            }
        }
        assertThat(drive.state.phase()).isEqualTo(phase);
        return drive;
    }

    private static ExecutionInput.SessionChange session(SessionStatus status, Integer exit) {
        return new ExecutionInput.SessionChange(new SessionEvent("session-1", null, null, status, START, null, exit, null));
    }
}
