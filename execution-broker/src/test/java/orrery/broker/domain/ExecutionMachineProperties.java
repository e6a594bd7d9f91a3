package orrery.broker.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import orrery.broker.domain.Executions.Drive;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionStatus;
import orrery.model.task.TaskState;

/**
 * Whatever arrives, in whatever order, repeated or stale: the execution only moves along the
 * phase graph, ends at most once, gives its reservation back at most once and never goes back on
 * a step that finished.
 */
class ExecutionMachineProperties {

    private static final List<String> TASKS = List.of("folder", "stage-0", "stage-1", "launch", "delete", "unknown");

    /** One thing that may happen, at a minute offset from the preparation start. */
    record Happening(int kind, String task, TaskState state, long sequence, SessionStatus status, int minute) {
    }

    @Property(tries = 400)
    void executionsOnlyMoveAlongThePhaseGraph(@ForAll("policies") LatePolicy policy,
                                               @ForAll("histories") List<Happening> happenings) {
        Drive drive = new Drive(Executions.offered(policy));
        drive.accept();
        Map<String, StepStatus> finished = new HashMap<>();
        for (Happening happening : happenings) {
            Phase before = drive.state.phase();
            Transition transition = drive.apply(input(drive.state, happening), Executions.PREP_START.plus(Duration.ofMinutes(happening.minute())));
            for (Effect effect : transition.effects()) {
                if (effect instanceof Effect.PhaseChanged changed) {
                    assertThat(changed.from() == changed.to() || changed.from().canBecome(changed.to()))
                            .as("%s → %s", changed.from(), changed.to()).isTrue();
                }
            }
            if (before.isFinal()) {
                assertThat(drive.state.phase()).isEqualTo(before);
            }
            for (Step step : drive.state.steps()) {
                StepStatus earlier = finished.get(step.taskId());
                if (earlier != null) {
                    assertThat(step.status()).as(step.taskId()).isEqualTo(earlier);
                }
                if (step.isFinal()) {
                    finished.put(step.taskId(), step.status());
                }
            }
        }
        assertThat(drive.effects().stream().filter(Effect.ReleaseReservation.class::isInstance).count()).isLessThanOrEqualTo(1);
        assertThat(drive.phases().stream().filter(Phase::isFinal).count()).isLessThanOrEqualTo(1);
        assertThat(drive.effects().stream().filter(e -> e instanceof Effect.Send send
                && send.type().equals(orrery.model.messaging.MessageTypes.CANFAR_DELETE)).count()).isLessThanOrEqualTo(1);
    }

    private static ExecutionInput input(Execution state, Happening happening) {
        return switch (happening.kind()) {
            case 0 -> new ExecutionInput.Due();
            case 1 -> new ExecutionInput.Cancel("cancelled");
            case 2 -> new ExecutionInput.SessionChange(new SessionEvent("session-1", null, null, happening.status(), Instant.EPOCH,
                    null, 0, null));
            case 3 -> new ExecutionInput.Undeliverable("refused");
            default -> new ExecutionInput.StepReport(state.taskId(happening.task()), happening.sequence(), happening.state(), null,
                    null, null, happening.task().equals("launch")
                    ? new orrery.model.canfar.LaunchResult("session-1", happening.status(), null) : null, "why", 1);
        };
    }

    @Provide
    Arbitrary<LatePolicy> policies() {
        return Arbitraries.of(LatePolicy.class);
    }

    @Provide
    Arbitrary<List<Happening>> histories() {
        return happenings().list().ofMaxSize(40);
    }

    private static Arbitrary<Happening> happenings() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.of(TASKS), Arbitraries.of(TaskState.class),
                Arbitraries.longs().between(0, 4), Arbitraries.of(SessionStatus.class), Arbitraries.integers().between(0, 240))
                .as(Happening::new);
    }
}
