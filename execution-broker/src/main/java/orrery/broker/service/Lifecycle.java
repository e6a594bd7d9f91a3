package orrery.broker.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.Effect;
import orrery.broker.domain.Execution;
import orrery.broker.domain.ExecutionInput;
import orrery.broker.domain.ExecutionMachine;
import orrery.broker.domain.Phase;
import orrery.broker.domain.StepKind;
import orrery.broker.domain.Transition;
import orrery.broker.store.ExecutionEntity;
import orrery.broker.store.ExecutionStates;
import orrery.broker.store.HistoryEntity;
import orrery.broker.store.ReservationEntity;
import orrery.broker.store.StepEntity;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.SessionEvent;
import orrery.model.execution.ExecutionEvent;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.model.time.LamportClock;
import orrery.model.time.TimeSource;

/**
 * Applies {@link ExecutionMachine} to stored executions: load the row and its steps, ask the
 * machine, write the new state back and carry out its effects (commands and phase events through
 * the {@link Outbox}, history rows, the reservation), all inside the caller's transaction on a
 * locked execution row. The database is the truth, so any broker replica can pick up where another
 * stopped.
 */
@ApplicationScoped
public class Lifecycle {

    private final ExecutionMachine machine = new ExecutionMachine();
    private final ExecutionStates states;
    private final Outbox outbox;
    private final TimeSource time;
    private final ObjectMapper json;
    private final BrokerConfig.Execution config;
    private final LamportClock clock;
    private final Timer lag;

    public Lifecycle(ExecutionStates states, Outbox outbox, TimeSource time, ObjectMapper json, BrokerConfig config,
                     MeterRegistry metrics, LamportClock clock) {
        this.states = states;
        this.outbox = outbox;
        this.time = time;
        this.json = json;
        this.config = config.execution();
        this.clock = clock;
        this.lag = Timer.builder("orrery.broker.transition.lag")
                .description("How late a time-driven transition happened after it was due")
                .publishPercentiles(0.5, 0.9, 0.99).register(metrics);
    }

    /** The owner accepted the offer: it becomes an execution, due when preparation starts. */
    public Uni<Void> accept(ExecutionEntity row) {
        return apply(row, new ExecutionInput.Accept(config.latePolicy()));
    }

    /** The owner cancelled: undo what is under way and give the capacity back. */
    public Uni<Void> cancel(ExecutionEntity row, String reason) {
        return apply(row, new ExecutionInput.Cancel(reason));
    }

    /** Applies the transition that is due for {@code row}. */
    public Uni<Void> due(ExecutionEntity row) {
        if (row.dueAt != null) {
            Duration late = Duration.between(row.dueAt, time.now());
            lag.record(late.isNegative() ? Duration.ZERO : late);
        }
        return apply(row, new ExecutionInput.Due());
    }

    /** Applies a task report (its step is locked by the caller); stale or repeated reports change nothing. */
    public Uni<Void> report(ExecutionEntity row, StepEntity step, TaskEvent event, long lamport) {
        LaunchResult launched = step.kind == StepKind.LAUNCH && event.state() == TaskState.COMPLETED
                ? launchResult(event.result()) : null;
        return apply(row, new ExecutionInput.StepReport(event.taskId(), event.sequence(), event.state(),
                event.progress() == null ? null : event.progress().done(), event.progress() == null ? null : event.progress().total(),
                event.result() == null ? null : event.result().toString(), launched, event.reason(), lamport));
    }

    /** Applies a session status change to the execution that owns the session. */
    public Uni<Void> session(ExecutionEntity row, SessionEvent event) {
        return apply(row, new ExecutionInput.SessionChange(event));
    }

    /** A message the execution needed could never be sent (the outbox moved it aside): it fails, unless it has ended. */
    public Uni<Void> undeliverable(ExecutionEntity row, String why) {
        return apply(row, new ExecutionInput.Undeliverable(why));
    }

    private Uni<Void> apply(ExecutionEntity row, ExecutionInput input) {
        Instant now = time.now();
        return StepEntity.listByExecution(row.id).chain(steps -> {
            Execution before = states.of(row, steps);
            Transition transition = machine.apply(before, input, now);
            if (transition.changesNothing(before)) {
                return Uni.createFrom().voidItem();
            }
            List<StepEntity> created = states.write(transition.next(), row, steps);
            if (transition.next().phase() != before.phase() || hasPhaseChange(transition)) {
                row.updatedAt = now;
            }
            return Multi.createFrom().iterable(created).onItem().transformToUniAndConcatenate(step -> step.persist())
                    .collect().last()
                    .chain(() -> Multi.createFrom().iterable(transition.effects())
                            .onItem().transformToUniAndConcatenate(effect -> carryOut(row, effect, now))
                            .collect().last())
                    .replaceWithVoid();
        });
    }

    private static boolean hasPhaseChange(Transition transition) {
        return transition.effects().stream().anyMatch(Effect.PhaseChanged.class::isInstance);
    }

    private Uni<Void> carryOut(ExecutionEntity row, Effect effect, Instant now) {
        if (effect instanceof Effect.Send send) {
            return outbox.add(send.messageId(), send.type(), send.subject(), row.id, send.command()).replaceWithVoid();
        }
        if (effect instanceof Effect.PhaseChanged changed) {
            return record(row, changed, now);
        }
        if (effect instanceof Effect.ReleaseReservation) {
            return ReservationEntity.release(row.reservationId, now);
        }
        if (effect instanceof Effect.GiveBackFrom giveBack) {
            return ReservationEntity.giveBackFrom(row.reservationId, giveBack.at());
        }
        row.dueAt = effect instanceof Effect.WakeAt wake ? wake.at() : null;
        return Uni.createFrom().voidItem();
    }

    /** Writes the history row and the outbox event of a phase (change). */
    private Uni<Void> record(ExecutionEntity row, Effect.PhaseChanged changed, Instant now) {
        // The row's clock is the last change another replica made to it: ours must come after, or
        // readers that order an execution's history by Lamport clock would drop this change.
        clock.merge(row.lamport);
        Phase from = changed.from();
        String messageId = row.id + "-" + changed.to().name().toLowerCase() + "-" + UUID.randomUUID();
        ExecutionEvent event = new ExecutionEvent(row.id.toString(), changed.to().name(), from == null ? null : from.name(),
                changed.why(), now, changed.sessionId());
        return outbox.add(messageId, MessageTypes.EXECUTION_EVENT, Subjects.executionEvents(row.id.toString()), row.id, event)
                .chain(envelope -> {
                    row.lamport = envelope.lamport();
                    HistoryEntity history = new HistoryEntity();
                    history.executionId = row.id;
                    history.phase = changed.to();
                    history.previous = from;
                    history.reason = changed.why();
                    history.at = now;
                    history.lamport = envelope.lamport();
                    return history.persist();
                }).replaceWithVoid();
    }

    private LaunchResult launchResult(JsonNode result) {
        if (result == null || result.isNull()) {
            throw new IllegalStateException("a launch report without its session");
        }
        try {
            return json.treeToValue(result, LaunchResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report's result is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
