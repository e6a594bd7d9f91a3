package orrery.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.broker.domain.Effect.GiveBackFrom;
import orrery.broker.domain.Effect.NothingDue;
import orrery.broker.domain.Effect.PhaseChanged;
import orrery.broker.domain.Effect.ReleaseReservation;
import orrery.broker.domain.Effect.Send;
import orrery.broker.domain.Effect.WakeAt;
import orrery.broker.domain.ExecutionInput.Accept;
import orrery.broker.domain.ExecutionInput.Cancel;
import orrery.broker.domain.ExecutionInput.Due;
import orrery.broker.domain.ExecutionInput.SessionChange;
import orrery.broker.domain.ExecutionInput.StepReport;
import orrery.broker.domain.ExecutionInput.Undeliverable;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionStatus;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.staging.CancelTask;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.StagingItem;
import orrery.model.staging.TransferTask;

/**
 * Drives an accepted execution through PREPARING → WAITING → RUNNING → FINISHING → COMPLETED, as
 * a pure function {@code (state, input, now) → (new state, effects)}: no clock, database or NATS
 * here, so every path is a plain unit test and the same inputs give the same outcome on the
 * simulated clock.
 *
 * <ul>
 *   <li>At {@code start - preparation} (ACCEPTED due): PREPARING; create the session folder.</li>
 *   <li>Folder done: stage the notebook and every data item, in parallel.</li>
 *   <li>Everything staged: WAITING; the launch is due at {@code start - quoted start-up}, so the
 *       session runs at the booked start.</li>
 *   <li>Launch done and the session runs: RUNNING until {@code start + duration}, or until a
 *       headless session ends by itself.</li>
 *   <li>Then FINISHING: delete the session; COMPLETED once that is done (an early end gives the
 *       rest of the reservation back).</li>
 *   <li>A failed step fails the execution with the step's reason, cancels the other steps, ends a
 *       session that was started and releases the reservation.</li>
 *   <li>Preparation not finished at the start: by the execution's {@link LatePolicy}, START_LATE
 *       (run as soon as it is, until the booking ends) or FAIL.</li>
 *   <li>Reports no newer than what a step has seen, reports on finished steps and reports that
 *       come after the phase they would move have moved on change nothing.</li>
 * </ul>
 */
public final class ExecutionMachine {

    /** Applies {@code input} to {@code state} at {@code now}. */
    public Transition apply(Execution state, ExecutionInput input, Instant now) {
        Run run = new Run(state, now);
        if (input instanceof Accept accept) {
            run.accept(accept.latePolicy());
        } else if (input instanceof Cancel cancel) {
            run.cancel(cancel.reason());
        } else if (input instanceof Due) {
            run.due();
        } else if (input instanceof StepReport report) {
            run.report(report);
        } else if (input instanceof SessionChange change) {
            run.session(change.event());
        } else if (input instanceof Undeliverable undeliverable) {
            run.undeliverable(undeliverable.why());
        }
        return run.outcome();
    }

    /** One transition in the making: the state as it changes, and the effects so far. */
    private static final class Run {

        private final Execution before;
        private final Instant now;
        private final List<Effect> effects = new ArrayList<>();
        private final Map<String, Step> steps = new LinkedHashMap<>();
        private Phase phase;
        private LatePolicy latePolicy;
        private boolean late;
        private String sessionId;
        private String connectUrl;
        private Instant startedAt;
        private Instant finishedAt;
        private String reason;

        Run(Execution before, Instant now) {
            this.before = before;
            this.now = now;
            before.steps().forEach(step -> steps.put(step.taskId(), step));
            phase = before.phase();
            latePolicy = before.latePolicy();
            late = before.late();
            sessionId = before.sessionId();
            connectUrl = before.connectUrl();
            startedAt = before.startedAt();
            finishedAt = before.finishedAt();
            reason = before.reason();
        }

        Transition outcome() {
            Execution next = new Execution(before.id(), before.owner(), phase, latePolicy, late, before.prepStart(),
                    before.startAt(), before.duration(), before.cores(), before.memory(), before.plan(), before.session(),
                    sessionId, connectUrl, startedAt, finishedAt, reason, List.copyOf(steps.values()));
            return new Transition(next, effects);
        }

        // --- decisions ------------------------------------------------------------------------

        void accept(LatePolicy policy) {
            if (phase != Phase.OFFERED) {
                return;
            }
            latePolicy = policy;
            phase = Phase.ACCEPTED;
            effects.add(new WakeAt(before.prepStart()));
            effects.add(new PhaseChanged(null, Phase.ACCEPTED, "accepted; preparation starts at " + before.prepStart(), sessionId));
        }

        void cancel(String why) {
            if (!phase.canBecome(Phase.CANCELLED)) {
                return;
            }
            Phase from = phase;
            phase = Phase.CANCELLED;
            reason = why;
            effects.add(new NothingDue());
            effects.add(new ReleaseReservation());
            stopEverything();
            effects.add(new PhaseChanged(from, Phase.CANCELLED, why, sessionId));
        }

        void undeliverable(String why) {
            if (!phase.isFinal()) {
                fail("a message it needed could not be sent: " + why);
            }
        }

        // --- the clock ------------------------------------------------------------------------

        void due() {
            switch (phase) {
                case ACCEPTED -> startPreparing();
                case PREPARING -> preparationMissedTheStart();
                case WAITING -> {
                    effects.add(new WakeAt(before.end()));
                    launch();
                }
                case RUNNING -> finish("the booking ended at " + before.end());
                default -> effects.add(new NothingDue());
            }
        }

        private void startPreparing() {
            effects.add(new WakeAt(before.startAt()));
            List<Step> created = createSteps();
            transition(Phase.PREPARING, "preparing: " + (created.size() - 1) + " item(s) to stage");
            dispatch(created.get(0));
        }

        private void preparationMissedTheStart() {
            if (latePolicy == LatePolicy.FAIL) {
                fail("preparation was not finished by the booked start at " + before.startAt() + " (late policy FAIL)");
                return;
            }
            late = true;
            effects.add(new NothingDue());
            effects.add(new PhaseChanged(phase, Phase.PREPARING, "running late: preparation was not finished by the booked start at "
                    + before.startAt() + "; the session starts as soon as it is (late policy START_LATE)", sessionId));
        }

        // --- reports --------------------------------------------------------------------------

        void report(StepReport report) {
            Step step = steps.get(report.taskId());
            if (step == null || report.sequence() <= step.sequence() || step.isFinal()) {
                return; // not ours, stale or repeated
            }
            Step updated = step.reported(report, now);
            steps.put(updated.taskId(), updated);
            if (updated.status() == StepStatus.COMPLETED) {
                completed(updated, report.launched());
            } else if (updated.status() == StepStatus.FAILED && !phase.isFinal()) {
                fail(failedStep(updated) + " failed: " + updated.reason());
            }
        }

        private void completed(Step step, LaunchResult launched) {
            switch (step.kind()) {
                case FOLDER -> folderCreated();
                case STAGE -> itemStaged();
                case LAUNCH -> launched(launched);
                case DELETE -> {
                    if (phase == Phase.FINISHING) {
                        complete();
                    }
                }
            }
        }

        private void folderCreated() {
            if (phase != Phase.PREPARING) {
                return;
            }
            List<Step> staging = stepsOf(StepKind.STAGE);
            if (staging.isEmpty()) {
                prepared();
            } else {
                staging.forEach(this::dispatch);
            }
        }

        private void itemStaged() {
            if (phase == Phase.PREPARING && stepsOf(StepKind.STAGE).stream().allMatch(s -> s.status() == StepStatus.COMPLETED)) {
                prepared();
            }
        }

        private void launched(LaunchResult launched) {
            sessionId = launched.sessionId();
            connectUrl = launched.connectUrl();
            if (phase == Phase.WAITING) {
                if (launched.status() == SessionStatus.Running) {
                    running();
                } else {
                    effects.add(new PhaseChanged(phase, Phase.WAITING, "session " + launched.sessionId() + " is starting", sessionId));
                }
            } else if (phase.isFinal() || phase == Phase.FINISHING) {
                deleteSession(); // launched after a cancel or failure: end it
            }
        }

        private static String failedStep(Step step) {
            return switch (step.kind()) {
                case FOLDER -> "creating the session folder";
                case STAGE -> "staging " + step.name();
                case LAUNCH -> "launching the session";
                case DELETE -> "ending the session";
            };
        }

        void session(SessionEvent event) {
            if (sessionId == null) {
                Step launch = ourLaunch(event.taskId());
                if (launch == null) {
                    return; // not this execution's session
                }
                // The session's first event overtook the launch report (they come on two consumers):
                // it names the launch task, so the session is ours and the launch succeeded; the
                // report, when it comes, finds the step final and changes nothing.
                sessionId = event.sessionId();
                if (!launch.isFinal()) {
                    steps.put(launch.taskId(), launch.seenLaunched(now));
                }
                if (phase.isFinal() || phase == Phase.FINISHING) {
                    deleteSession(); // launched after a cancel or failure: end it
                    return;
                }
            }
            if (event.connectUrl() != null) {
                connectUrl = event.connectUrl();
            }
            if (event.status() == SessionStatus.Running && phase == Phase.WAITING) {
                running();
                return;
            }
            boolean ended = event.status() == SessionStatus.Succeeded || event.status() == SessionStatus.Failed
                    || event.status() == SessionStatus.Terminated;
            if (!ended || (phase != Phase.RUNNING && phase != Phase.WAITING)) {
                return;
            }
            String exit = event.exitStatus() == null ? "" : " with exit status " + event.exitStatus();
            if (event.status() == SessionStatus.Failed) {
                fail("the session failed" + exit + (event.message() == null ? "" : ": " + event.message()));
            } else {
                finish("the session ended by itself" + (event.exitStatus() == null ? "" : " (exit status " + event.exitStatus() + ")"));
            }
        }

        private Step ourLaunch(String taskId) {
            Step step = taskId == null ? null : steps.get(taskId);
            return step != null && step.kind() == StepKind.LAUNCH ? step : null;
        }

        // --- transitions ----------------------------------------------------------------------

        private void prepared() {
            Instant launchAt = before.startAt().minus(before.startup());
            boolean launchNow = late || !launchAt.isAfter(now);
            effects.add(new WakeAt(launchNow ? before.end() : launchAt));
            transition(Phase.WAITING, "prepared; the session is launched at " + (launchNow ? now : launchAt));
            if (launchNow) {
                launch();
            }
        }

        private void launch() {
            if (!before.end().isAfter(now)) {
                fail("the booking ended at " + before.end() + " before the session could start");
                return;
            }
            Step step = Step.created(before.taskId("launch"), StepKind.LAUNCH, "session", before.startup(), now);
            SessionSpec session = before.session();
            send(step, MessageTypes.CANFAR_LAUNCH, Subjects.CANFAR_LAUNCH, new LaunchTask(step.taskId(), before.id().toString(),
                    before.owner(), "orrery-" + before.id().toString().substring(0, 8), session.image(), session.kind(),
                    before.cores(), before.memory(), session.cmd(), session.args(), session.env(), before.folder(), before.end(),
                    session.mounts()));
        }

        private void running() {
            startedAt = now;
            effects.add(new WakeAt(before.end()));
            transition(Phase.RUNNING, "session " + sessionId + " is running" + (connectUrl == null ? "" : " at " + connectUrl)
                    + "; it ends at " + before.end());
        }

        private void finish(String why) {
            effects.add(new NothingDue());
            transition(Phase.FINISHING, why + "; ending the session");
            if (sessionId == null) {
                complete();
            } else {
                deleteSession();
            }
        }

        private void complete() {
            finishedAt = now;
            effects.add(new NothingDue());
            effects.add(new GiveBackFrom(now));
            transition(Phase.COMPLETED, "completed");
        }

        private void fail(String why) {
            Phase from = phase;
            phase = Phase.FAILED;
            reason = why;
            finishedAt = now;
            effects.add(new NothingDue());
            stopEverything();
            effects.add(new ReleaseReservation());
            effects.add(new PhaseChanged(from, Phase.FAILED, why, sessionId));
        }

        private void transition(Phase next, String why) {
            if (!phase.canBecome(next)) {
                throw new IllegalStateException("execution " + before.id() + " cannot go from " + phase + " to " + next);
            }
            Phase from = phase;
            phase = next;
            effects.add(new PhaseChanged(from, next, why, sessionId));
        }

        // --- steps ----------------------------------------------------------------------------

        /** Cancels steps that have not finished and ends a session that was started. */
        private void stopEverything() {
            for (Step step : List.copyOf(steps.values())) {
                if (step.isFinal()) {
                    continue;
                }
                if (step.kind() == StepKind.STAGE && step.dispatchedAt() != null) {
                    effects.add(new Send(step.taskId() + "-cancel", MessageTypes.STAGING_CANCEL, Subjects.STAGING_CANCEL,
                            new CancelTask(step.taskId())));
                }
                if (step.kind() == StepKind.FOLDER || step.kind() == StepKind.STAGE) {
                    steps.put(step.taskId(), step.cancelled("the execution stopped", now));
                }
            }
            // A session still launching is ended when its launch reports done (see launched()).
            if (sessionId != null && stepsOf(StepKind.DELETE).isEmpty()) {
                deleteSession();
            }
        }

        private void deleteSession() {
            if (!stepsOf(StepKind.DELETE).isEmpty()) {
                return;
            }
            Step step = Step.created(before.taskId("delete"), StepKind.DELETE, "session", Duration.ZERO, now);
            send(step, MessageTypes.CANFAR_DELETE, Subjects.CANFAR_DELETE, new DeleteTask(step.taskId(), sessionId));
        }

        private List<Step> createSteps() {
            List<Step> created = new ArrayList<>();
            int stage = 0;
            for (PlannedStep planned : before.plan()) {
                if (PlannedStep.FOLDER.equals(planned.kind())) {
                    created.add(Step.created(before.taskId("folder"), StepKind.FOLDER, "session folder", planned.cost(), now));
                } else if (PlannedStep.STAGE.equals(planned.kind())) {
                    created.add(Step.created(before.taskId("stage-" + stage++), StepKind.STAGE, planned.name(), planned.cost(), now));
                }
            }
            created.sort((a, b) -> a.kind() == b.kind() ? 0 : a.kind() == StepKind.FOLDER ? -1 : 1);
            created.forEach(step -> steps.put(step.taskId(), step));
            return created;
        }

        /** Sends the command of a preparation step (stage steps find their item in the plan). */
        private void dispatch(Step step) {
            if (step.kind() == StepKind.FOLDER) {
                send(step, MessageTypes.STAGING_DIRECTORY, Subjects.STAGING_DIRECTORY,
                        new DirectoryTask(step.taskId(), before.owner(), before.id().toString()));
                return;
            }
            PlannedStep planned = before.plan().stream()
                    .filter(p -> PlannedStep.STAGE.equals(p.kind()) && p.name().equals(step.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no planned item " + step.name()));
            send(step, MessageTypes.STAGING_TRANSFER, Subjects.STAGING_TRANSFER, new TransferTask(step.taskId(), before.owner(),
                    before.id().toString(), new StagingItem(planned.name(), planned.url(), planned.checks())));
        }

        private void send(Step step, String type, String subject, Object command) {
            steps.put(step.taskId(), step.dispatched(now));
            effects.add(new Send(step.taskId(), type, subject, command));
        }

        private List<Step> stepsOf(StepKind kind) {
            return steps.values().stream().filter(s -> s.kind() == kind).toList();
        }
    }
}
