package orrery.broker.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.Phase;
import orrery.broker.domain.PlannedStep;
import orrery.broker.offers.OfferService;
import orrery.broker.offers.SessionSpec;
import orrery.broker.store.ExecutionEntity;
import orrery.broker.store.HistoryEntity;
import orrery.broker.store.ReservationEntity;
import orrery.broker.store.StepEntity;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionStatus;
import orrery.model.envelope.Envelope;
import orrery.model.execution.ExecutionEvent;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.staging.CancelTask;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.StagingItem;
import orrery.model.staging.TransferTask;
import orrery.model.task.TaskEvent;
import orrery.model.time.LamportClock;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * Drives an accepted execution through PREPARING → WAITING → RUNNING → FINISHING → COMPLETED.
 *
 * <p>Every method runs inside the caller's transaction, on a locked execution row: the database
 * is the truth, so any broker replica can pick up where another stopped. Commands go out through
 * the {@link Outbox}; phase changes are written to {@code execution_history} and published on
 * {@code events.execution.<id>}.
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
 *   <li>Preparation not finished at the start: by {@code orrery.broker.execution.late-policy},
 *       START_LATE (run as soon as it is, until the booking ends) or FAIL.</li>
 * </ul>
 */
@ApplicationScoped
public class Lifecycle implements OfferService.AcceptanceListener {

    private static final Logger LOG = Logger.getLogger(Lifecycle.class);
    private static final TypeReference<List<PlannedStep>> STEPS = new TypeReference<>() {
    };

    static final String START_LATE = "START_LATE";
    static final String FAIL = "FAIL";

    private final Outbox outbox;
    private final TimeSource time;
    private final ObjectMapper json;
    private final BrokerConfig.Execution config;
    private final Timer lag;
    private final LamportClock clock;

    @Inject
    public Lifecycle(Outbox outbox, TimeSource time, ObjectMapper json, BrokerConfig config, MeterRegistry metrics,
                     LamportClock clock) {
        this.outbox = outbox;
        this.clock = clock;
        this.time = time;
        this.json = json;
        this.config = config.execution();
        this.lag = Timer.builder("orrery.broker.transition.lag")
                .description("How late a time-driven transition happened after it was due")
                .publishPercentiles(0.5, 0.9, 0.99).register(metrics);
    }

    // --- decisions on offers -----------------------------------------------------------------------

    @Override
    public Uni<Void> accepted(ExecutionEntity row) {
        row.latePolicy = config.latePolicy();
        row.dueAt = row.prepStart;
        return record(row, null, Phase.ACCEPTED, "accepted; preparation starts at " + row.prepStart);
    }

    @Override
    public Uni<Void> cancelled(ExecutionEntity row, Phase from) {
        row.dueAt = null;
        return stopEverything(row).chain(() -> record(row, from, Phase.CANCELLED, row.reason));
    }

    // --- time -------------------------------------------------------------------------------------

    /** Applies the transition that is due for {@code row} (locked). */
    public Uni<Void> due(ExecutionEntity row) {
        Instant now = time.now();
        if (row.dueAt != null) {
            lag.record(Duration.between(row.dueAt, now).isNegative() ? Duration.ZERO : Duration.between(row.dueAt, now));
        }
        Phase phase = Phase.valueOf(row.phase);
        switch (phase) {
            case ACCEPTED:
                row.dueAt = row.startAt;
                return createSteps(row).chain(steps -> transition(row, Phase.PREPARING, "preparing: "
                        + (steps.size() - 1) + " item(s) to stage").chain(() -> dispatch(row, folderStep(steps), null)));
            case PREPARING:
                if (FAIL.equals(row.latePolicy)) {
                    return fail(row, "preparation was not finished by the booked start at " + row.startAt
                            + " (late policy FAIL)");
                }
                row.late = true;
                row.dueAt = null;
                return record(row, phase, Phase.PREPARING, "running late: preparation was not finished by the booked start at "
                        + row.startAt + "; the session starts as soon as it is (late policy START_LATE)");
            case WAITING:
                row.dueAt = end(row);
                return launch(row);
            case RUNNING:
                row.dueAt = null;
                return finish(row, "the booking ended at " + end(row));
            default:
                row.dueAt = null;
                return Uni.createFrom().voidItem();
        }
    }

    // --- reports from the services ---------------------------------------------------------------

    /** Applies a task report to its step (both locked); stale or repeated reports change nothing. */
    public Uni<Void> report(ExecutionEntity row, StepEntity step, TaskEvent event, long lamport) {
        if (event.sequence() <= step.sequence || step.isFinal()) {
            LOG.debugf("ignoring a stale report %d on %s (at %d, %s)", event.sequence(), step.taskId, step.sequence, step.state);
            return Uni.createFrom().voidItem();
        }
        step.sequence = event.sequence();
        step.lamport = Math.max(step.lamport, lamport);
        step.updatedAt = time.now();
        switch (event.state()) {
            case RUNNING:
                step.state = StepEntity.RUNNING;
                if (event.progress() != null) {
                    step.progressDone = event.progress().done();
                    step.progressTotal = event.progress().total();
                }
                return Uni.createFrom().voidItem();
            case COMPLETED:
                step.state = StepEntity.COMPLETED;
                step.result = event.result() == null ? null : event.result().toString();
                return completed(row, step, event);
            case FAILED:
                step.state = StepEntity.FAILED;
                step.reason = event.reason();
                return failed(row, step);
            default:
                step.state = StepEntity.CANCELLED;
                step.reason = event.reason();
                return Uni.createFrom().voidItem();
        }
    }

    /** Applies a session status change to the execution that owns the session (locked). */
    public Uni<Void> session(ExecutionEntity row, SessionEvent event) {
        Phase phase = Phase.valueOf(row.phase);
        if (event.connectUrl() != null) {
            row.connectUrl = event.connectUrl();
        }
        if (event.status() == SessionStatus.Running && phase == Phase.WAITING) {
            return running(row);
        }
        boolean ended = event.status() == SessionStatus.Succeeded || event.status() == SessionStatus.Failed
                || event.status() == SessionStatus.Terminated;
        if (ended && (phase == Phase.RUNNING || phase == Phase.WAITING)) {
            if (event.status() == SessionStatus.Failed) {
                return fail(row, "the session failed" + (event.exitStatus() == null ? "" : " with exit status " + event.exitStatus())
                        + (event.message() == null ? "" : ": " + event.message()));
            }
            return finish(row, "the session ended by itself" + (event.exitStatus() == null ? ""
                    : " (exit status " + event.exitStatus() + ")"));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> completed(ExecutionEntity row, StepEntity step, TaskEvent event) {
        Phase phase = Phase.valueOf(row.phase);
        switch (step.kind) {
            case PlannedStep.FOLDER:
                if (phase != Phase.PREPARING) {
                    return Uni.createFrom().voidItem();
                }
                return steps(row).chain(steps -> {
                    List<StepEntity> staging = steps.stream().filter(s -> PlannedStep.STAGE.equals(s.kind)).toList();
                    if (staging.isEmpty()) {
                        return prepared(row);
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (StepEntity stage : staging) {
                        chain = chain.chain(() -> dispatch(row, stage, null));
                    }
                    return chain;
                });
            case PlannedStep.STAGE:
                if (phase != Phase.PREPARING) {
                    return Uni.createFrom().voidItem();
                }
                return steps(row).chain(steps -> steps.stream().filter(s -> PlannedStep.STAGE.equals(s.kind))
                        .allMatch(s -> StepEntity.COMPLETED.equals(s.state)) ? prepared(row) : Uni.createFrom().voidItem());
            case "launch": {
                LaunchResult launched = read(event.result(), LaunchResult.class);
                row.sessionId = launched.sessionId();
                row.connectUrl = launched.connectUrl();
                if (phase == Phase.WAITING) {
                    return launched.status() == SessionStatus.Running ? running(row)
                            : record(row, phase, Phase.WAITING, "session " + launched.sessionId() + " is starting");
                }
                if (phase.isFinal() || phase == Phase.FINISHING) {
                    return deleteSession(row); // launched after a cancel or failure: end it
                }
                return Uni.createFrom().voidItem();
            }
            case "delete":
                return phase == Phase.FINISHING ? complete(row) : Uni.createFrom().voidItem();
            default:
                return Uni.createFrom().voidItem();
        }
    }

    private Uni<Void> failed(ExecutionEntity row, StepEntity step) {
        Phase phase = Phase.valueOf(row.phase);
        if (phase.isFinal()) {
            return Uni.createFrom().voidItem();
        }
        String what = switch (step.kind) {
            case PlannedStep.FOLDER -> "creating the session folder";
            case PlannedStep.STAGE -> "staging " + step.name;
            case "launch" -> "launching the session";
            default -> "ending the session";
        };
        return fail(row, what + " failed: " + step.reason);
    }

    // --- transitions ------------------------------------------------------------------------------

    private Uni<Void> prepared(ExecutionEntity row) {
        Instant launchAt = row.startAt.minus(startup(row));
        boolean now = row.late || !launchAt.isAfter(time.now());
        row.dueAt = now ? end(row) : launchAt;
        return transition(row, Phase.WAITING, "prepared; the session is launched at " + (now ? time.now() : launchAt))
                .chain(() -> now ? launch(row) : Uni.createFrom().voidItem());
    }

    private Uni<Void> launch(ExecutionEntity row) {
        if (!end(row).isAfter(time.now())) {
            return fail(row, "the booking ended at " + end(row) + " before the session could start");
        }
        SessionSpec session = read(row.session, SessionSpec.class);
        StepEntity step = newStep(row, taskId(row, "launch"), "launch", "session", startup(row));
        LaunchTask task = new LaunchTask(step.taskId, row.id.toString(), row.owner, "orrery-" + row.id.toString().substring(0, 8),
                session.image(), session.kind(), row.cores, row.memory, session.cmd(), session.args(), session.env(), folder(row),
                end(row));
        return step.persist().chain(() -> send(row, step, MessageTypes.CANFAR_LAUNCH, Subjects.CANFAR_LAUNCH, task));
    }

    private Uni<Void> running(ExecutionEntity row) {
        row.startedAt = time.now();
        row.dueAt = end(row);
        return transition(row, Phase.RUNNING, "session " + row.sessionId + " is running"
                + (row.connectUrl == null ? "" : " at " + row.connectUrl) + "; it ends at " + end(row));
    }

    private Uni<Void> finish(ExecutionEntity row, String why) {
        row.dueAt = null;
        return transition(row, Phase.FINISHING, why + "; ending the session")
                .chain(() -> row.sessionId == null ? complete(row) : deleteSession(row));
    }

    private Uni<Void> complete(ExecutionEntity row) {
        Instant now = time.now();
        row.finishedAt = now;
        row.dueAt = null;
        return giveBackTheRest(row, now).chain(() -> transition(row, Phase.COMPLETED, "completed"));
    }

    /** A message the execution needed could never be sent (the outbox moved it aside): it fails, unless it has ended. */
    public Uni<Void> undeliverable(ExecutionEntity row, String why) {
        if (Phase.valueOf(row.phase).isFinal()) {
            return Uni.createFrom().voidItem();
        }
        return fail(row, "a message it needed could not be sent: " + why);
    }

    private Uni<Void> fail(ExecutionEntity row, String why) {
        Phase from = Phase.valueOf(row.phase);
        row.phase = Phase.FAILED.name();
        row.reason = why;
        row.dueAt = null;
        row.finishedAt = time.now();
        row.updatedAt = time.now();
        return stopEverything(row).chain(() -> OfferService.release(row, time.now())).chain(() -> record(row, from, Phase.FAILED, why));
    }

    /** Cancels steps that have not finished and ends a session that was started. */
    private Uni<Void> stopEverything(ExecutionEntity row) {
        return steps(row).chain(steps -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (StepEntity step : steps) {
                if (step.isFinal()) {
                    continue;
                }
                if (PlannedStep.STAGE.equals(step.kind) && step.dispatchedAt != null) {
                    chain = chain.chain(() -> outbox.add(step.taskId + "-cancel", MessageTypes.STAGING_CANCEL,
                            Subjects.STAGING_CANCEL, row.id, new CancelTask(step.taskId)).replaceWithVoid());
                }
                if (!"launch".equals(step.kind) && !"delete".equals(step.kind)) {
                    step.state = StepEntity.CANCELLED;
                    step.reason = "the execution stopped";
                    step.updatedAt = time.now();
                }
            }
            boolean launching = steps.stream().anyMatch(s -> "launch".equals(s.kind) && !s.isFinal());
            if (row.sessionId != null && steps.stream().noneMatch(s -> "delete".equals(s.kind))) {
                chain = chain.chain(() -> deleteSession(row));
            } else if (launching) {
                LOG.infof("execution %s stopped while its session was launching; it is ended once launched", row.id);
            }
            return chain;
        });
    }

    private Uni<Void> deleteSession(ExecutionEntity row) {
        return StepEntity.<StepEntity>findById(taskId(row, "delete")).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            StepEntity step = newStep(row, taskId(row, "delete"), "delete", "session", Duration.ZERO);
            return step.persist().chain(() -> send(row, step, MessageTypes.CANFAR_DELETE, Subjects.CANFAR_DELETE,
                    new DeleteTask(step.taskId, row.sessionId)));
        });
    }

    /** An execution that ends early gives the rest of its reservation back to the pool. */
    private Uni<Void> giveBackTheRest(ExecutionEntity row, Instant now) {
        return ReservationEntity.<ReservationEntity>findById(row.reservationId).map(reservation -> {
            if (reservation != null && ReservationEntity.FIRM.equals(reservation.state)
                    && now.getEpochSecond() < reservation.endTime) {
                reservation.endTime = Math.max(reservation.startTime + 1, now.getEpochSecond());
            }
            return null;
        });
    }

    private Uni<Void> transition(ExecutionEntity row, Phase next, String why) {
        Phase from = Phase.valueOf(row.phase);
        if (!from.canBecome(next)) {
            throw new IllegalStateException("execution " + row.id + " cannot go from " + from + " to " + next);
        }
        row.phase = next.name();
        row.updatedAt = time.now();
        if (next == Phase.FAILED || next == Phase.CANCELLED) {
            row.reason = why;
        }
        return record(row, from, next, why);
    }

    /** Writes the history row and the outbox event of a phase (change). */
    private Uni<Void> record(ExecutionEntity row, Phase from, Phase to, String why) {
        Instant now = time.now();
        // The row's clock is the last change another replica made to it: ours must come after, or
        // readers that order an execution's history by Lamport clock would drop this change.
        clock.merge(row.lamport);
        String messageId = row.id + "-" + to.name().toLowerCase() + "-" + java.util.UUID.randomUUID();
        ExecutionEvent event = new ExecutionEvent(row.id.toString(), to.name(), from == null ? null : from.name(), why, now,
                row.sessionId);
        return outbox.add(messageId, MessageTypes.EXECUTION_EVENT, Subjects.executionEvents(row.id.toString()), row.id,
                event).chain((Envelope envelope) -> {
                    row.lamport = envelope.lamport();
                    HistoryEntity history = new HistoryEntity();
                    history.executionId = row.id;
                    history.phase = to.name();
                    history.previous = from == null ? null : from.name();
                    history.reason = why;
                    history.at = now;
                    history.lamport = envelope.lamport();
                    return history.persist();
                }).replaceWithVoid();
    }

    // --- steps ----------------------------------------------------------------------------------

    private Uni<List<StepEntity>> createSteps(ExecutionEntity row) {
        List<PlannedStep> planned = read(row.steps, STEPS);
        Uni<Void> chain = Uni.createFrom().voidItem();
        int stage = 0;
        for (PlannedStep plannedStep : planned) {
            if (PlannedStep.FOLDER.equals(plannedStep.kind())) {
                StepEntity step = newStep(row, taskId(row, "folder"), PlannedStep.FOLDER, "session folder", plannedStep.cost());
                chain = chain.chain(() -> step.persist().replaceWithVoid());
            } else if (PlannedStep.STAGE.equals(plannedStep.kind())) {
                StepEntity step = newStep(row, taskId(row, "stage-" + stage++), PlannedStep.STAGE, plannedStep.name(),
                        plannedStep.cost());
                chain = chain.chain(() -> step.persist().replaceWithVoid());
            }
        }
        return chain.chain(() -> steps(row));
    }

    private StepEntity folderStep(List<StepEntity> steps) {
        return steps.stream().filter(s -> PlannedStep.FOLDER.equals(s.kind)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no folder step"));
    }

    /** Sends the command of a step (stage steps find their item in the plan). */
    private Uni<Void> dispatch(ExecutionEntity row, StepEntity step, Object ignored) {
        if (PlannedStep.FOLDER.equals(step.kind)) {
            return send(row, step, MessageTypes.STAGING_DIRECTORY, Subjects.STAGING_DIRECTORY,
                    new DirectoryTask(step.taskId, row.owner, row.id.toString()));
        }
        PlannedStep planned = read(row.steps, STEPS).stream()
                .filter(p -> PlannedStep.STAGE.equals(p.kind()) && p.name().equals(step.name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no planned item " + step.name));
        return send(row, step, MessageTypes.STAGING_TRANSFER, Subjects.STAGING_TRANSFER,
                new TransferTask(step.taskId, row.owner, row.id.toString(), new StagingItem(planned.name(), planned.url(),
                        planned.checks())));
    }

    private Uni<Void> send(ExecutionEntity row, StepEntity step, String type, String subject, Object task) {
        step.dispatchedAt = time.now();
        return outbox.add(step.taskId, type, subject, row.id, task).replaceWithVoid();
    }

    private StepEntity newStep(ExecutionEntity row, String taskId, String kind, String name, Duration cost) {
        StepEntity step = new StepEntity();
        step.taskId = taskId;
        step.executionId = row.id;
        step.kind = kind;
        step.name = name;
        step.state = StepEntity.CREATED;
        step.costSeconds = cost.getSeconds();
        step.createdAt = time.now();
        step.updatedAt = step.createdAt;
        return step;
    }

    public static Uni<List<StepEntity>> steps(ExecutionEntity row) {
        return StepEntity.<StepEntity>list("executionId = ?1 order by createdAt, taskId", row.id);
    }

    /** Task ids start with "eb-": the broker ignores reports of other services' tasks. */
    static String taskId(ExecutionEntity row, String what) {
        return "eb-" + row.id + "-" + what;
    }

    private Duration startup(ExecutionEntity row) {
        return read(row.steps, STEPS).stream().filter(p -> PlannedStep.STARTUP.equals(p.kind())).map(PlannedStep::cost)
                .findFirst().orElse(Duration.ZERO);
    }

    private static Instant end(ExecutionEntity row) {
        return row.startAt.plus(row.duration());
    }

    private static String folder(ExecutionEntity row) {
        return "home/" + row.owner + "/broker/" + row.id;
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private <T> T read(com.fasterxml.jackson.databind.JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report's result is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
