package orrery.broker.service;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import orrery.broker.domain.Phase;
import orrery.broker.store.HistoryEntity;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.execution.ExecutionEvent;
import orrery.model.messaging.Subjects;
import orrery.support.messaging.SafeContexts;

/**
 * An execution's phase changes as a stream: its history from the database, then each new change
 * as it is published on {@code events.execution.<id>}, ending after a final phase. Live events are
 * subscribed to before the history is read, and those the history already holds (by Lamport
 * clock) are skipped, so nothing falls between the two.
 */
@ApplicationScoped
public class ExecutionEvents {

    private final Connection connection;
    private final EnvelopeCodec codec;
    private final SafeContexts contexts;

    @Inject
    public ExecutionEvents(Connection connection, EnvelopeCodec codec, SafeContexts contexts) {
        this.connection = connection;
        this.codec = codec;
        this.contexts = contexts;
    }

    public Multi<PhaseChange> stream(UUID execution) {
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        Multi<PhaseChange> events = Multi.createFrom().emitter(emitter -> {
            Queue<PhaseChange> early = new ConcurrentLinkedQueue<>();
            AtomicBoolean replayed = new AtomicBoolean();
            AtomicLong last = new AtomicLong(-1);
            Dispatcher dispatcher = connection.createDispatcher(message -> {
                Envelope envelope = codec.decode(message.getData());
                ExecutionEvent event = codec.data(envelope, ExecutionEvent.class);
                PhaseChange view = new PhaseChange(event.executionId(), event.phase(), event.previous(), event.reason(), event.at(),
                        envelope.lamport());
                synchronized (early) {
                    if (!replayed.get()) {
                        early.add(view);
                        return;
                    }
                }
                emit(emitter, view, last);
            });
            dispatcher.subscribe(Subjects.executionEvents(execution.toString()));
            emitter.onTermination(() -> connection.closeDispatcher(dispatcher));
            contexts.run(() -> Panache.withSession(() -> HistoryEntity.listByExecution(execution)))
                    .subscribe().with((List<HistoryEntity> history) -> {
                        for (HistoryEntity row : history) {
                            emit(emitter, new PhaseChange(execution.toString(), row.phase.name(), row.previous == null ? null : row.previous.name(), row.reason, row.at,
                                    row.lamport), last);
                        }
                        synchronized (early) {
                            replayed.set(true);
                            early.forEach(view -> emit(emitter, view, last));
                            early.clear();
                        }
                    }, emitter::fail);
        });
        // Items come from NATS and database threads; the response is written on the request's own context.
        return caller == null ? events : events.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    private static void emit(MultiEmitter<? super PhaseChange> emitter, PhaseChange view, AtomicLong last) {
        synchronized (last) {
            if (emitter.isCancelled() || view.lamport() <= last.get()) {
                return;
            }
            last.set(view.lamport());
            emitter.emit(view);
            if (Phase.valueOf(view.phase()).isFinal()) {
                emitter.complete();
            }
        }
    }

    /** One phase change of an execution, ordered by its Lamport clock. */
    public record PhaseChange(String execution, String phase, String previous, String reason, java.time.Instant at, long lamport) {
    }
}
