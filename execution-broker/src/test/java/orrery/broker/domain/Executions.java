package orrery.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.task.TaskState;

/** An execution to drive in tests, and a recorder that applies inputs one after another. */
final class Executions {

    static final Instant PREP_START = Instant.parse("2026-03-02T09:00:00Z");
    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    static final Duration DURATION = Duration.ofHours(2);
    static final Duration STARTUP = Duration.ofMinutes(5);

    private Executions() {
    }

    /** An offer of a notebook and one data file, with a 5-minute session start-up. */
    static Execution offered(LatePolicy policy) {
        List<PlannedStep> plan = List.of(
                new PlannedStep(PlannedStep.FOLDER, null, Duration.ofSeconds(5), null, null),
                new PlannedStep(PlannedStep.STAGE, "analysis.ipynb", Duration.ofMinutes(1), "https://example.org/analysis.ipynb", null),
                new PlannedStep(PlannedStep.STAGE, "data.fits", Duration.ofMinutes(10), "https://example.org/data.fits", null),
                new PlannedStep(PlannedStep.STARTUP, null, STARTUP, null, null));
        return new Execution(UUID.fromString("0b8c6a52-5a8e-4d8e-9b59-6d3c2f1e7a10"), "alice", Phase.OFFERED, policy, false,
                PREP_START, START, DURATION, 4, 8, plan, new SessionSpec(SessionKind.notebook, "images/astro:1", null, null,
                Map.of()), null, null, null, null, null, List.of());
    }

    /** Applies inputs in turn, keeping every transition. */
    static final class Drive {

        final ExecutionMachine machine = new ExecutionMachine();
        final List<Transition> transitions = new ArrayList<>();
        Execution state;
        private final java.util.Map<String, Long> sequences = new java.util.HashMap<>();

        Drive(Execution start) {
            this.state = start;
        }

        Transition apply(ExecutionInput input, Instant now) {
            Transition transition = machine.apply(state, input, now);
            transitions.add(transition);
            state = transition.next();
            return transition;
        }

        Transition accept() {
            return apply(new ExecutionInput.Accept(state.latePolicy()), PREP_START.minus(Duration.ofHours(1)));
        }

        Transition due(Instant now) {
            return apply(new ExecutionInput.Due(), now);
        }

        Transition report(String what, TaskState state, Instant now) {
            String taskId = this.state.taskId(what);
            long sequence = sequences.merge(taskId, 1L, Long::sum);
            LaunchResult launched = what.equals("launch") && state == TaskState.COMPLETED
                    ? new LaunchResult("session-1", SessionStatus.Running, "https://example.org/session-1") : null;
            return apply(new ExecutionInput.StepReport(taskId, sequence, state, null, null, null, launched,
                    state == TaskState.FAILED ? "disk full" : null, sequence), now);
        }

        Transition staleReport(String what, TaskState state, Instant now) {
            String taskId = this.state.taskId(what);
            return apply(new ExecutionInput.StepReport(taskId, sequences.getOrDefault(taskId, 0L), state, null, null, null, null,
                    null, 0), now);
        }

        /** Accepted, due, folder made and both items staged: WAITING for the launch at start - start-up. */
        Drive prepared() {
            accept();
            due(PREP_START);
            report("folder", TaskState.COMPLETED, PREP_START.plusSeconds(5));
            report("stage-0", TaskState.COMPLETED, PREP_START.plusSeconds(60));
            report("stage-1", TaskState.COMPLETED, PREP_START.plusSeconds(600));
            return this;
        }

        /** ... and launched: RUNNING. */
        Drive running() {
            prepared();
            due(START.minus(STARTUP));
            report("launch", TaskState.COMPLETED, START);
            return this;
        }

        List<Effect> effects() {
            return transitions.stream().flatMap(t -> t.effects().stream()).toList();
        }

        List<Phase> phases() {
            return effects().stream().filter(Effect.PhaseChanged.class::isInstance).map(e -> ((Effect.PhaseChanged) e).to()).toList();
        }

        List<String> sent() {
            return effects().stream().filter(Effect.Send.class::isInstance).map(e -> ((Effect.Send) e).type()).toList();
        }
    }
}
