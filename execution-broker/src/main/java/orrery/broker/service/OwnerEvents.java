package orrery.broker.service;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import orrery.broker.service.ExecutionEvents.PhaseChange;
import orrery.broker.store.ExecutionEntity;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.execution.ExecutionEvent;
import orrery.model.messaging.Subjects;
import orrery.support.messaging.SafeContexts;
import org.jboss.logging.Logger;

/**
 * Every phase change of one user's executions as it happens, for a list that stays current
 * without polling. Changes come from {@code events.execution.>};
 * each execution's owner is looked up once and remembered. The stream has no history and never
 * ends by itself; a reader takes each change as a cue to read that execution again.
 */
@ApplicationScoped
public class OwnerEvents {

    private static final Logger LOG = Logger.getLogger(OwnerEvents.class);
    private static final int REMEMBERED_OWNERS = 10_000;

    private final Connection connection;
    private final EnvelopeCodec codec;
    private final SafeContexts contexts;
    private final Map<String, String> owners = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED_OWNERS;
        }
    });

    @Inject
    public OwnerEvents(Connection connection, EnvelopeCodec codec, SafeContexts contexts) {
        this.connection = connection;
        this.codec = codec;
        this.contexts = contexts;
    }

    /** The changes of {@code owner}'s executions. */
    public Multi<PhaseChange> stream(String owner) {
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        Multi<PhaseChange> changes = Multi.createFrom().emitter(emitter -> {
            Dispatcher dispatcher = connection.createDispatcher(message -> {
                PhaseChange change;
                try {
                    Envelope envelope = codec.decode(message.getData());
                    ExecutionEvent event = codec.data(envelope, ExecutionEvent.class);
                    change = new PhaseChange(event.executionId(), event.phase(), event.previous(), event.reason(), event.at(),
                            envelope.lamport());
                } catch (RuntimeException e) {
                    LOG.debugf("skipping an unreadable execution event: %s", e.getMessage());
                    return;
                }
                ownerOf(change.execution()).subscribe().with(found -> {
                    if (owner.equals(found) && !emitter.isCancelled()) {
                        emitter.emit(change);
                    }
                }, failure -> LOG.debugf("no owner for %s: %s", change.execution(), failure.getMessage()));
            });
            dispatcher.subscribe(Subjects.EXECUTION_EVENTS_ALL);
            emitter.onTermination(() -> connection.closeDispatcher(dispatcher));
        });
        return caller == null ? changes : changes.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    private Uni<String> ownerOf(String execution) {
        String known = owners.get(execution);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        UUID id;
        try {
            id = UUID.fromString(execution);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().nullItem();
        }
        return contexts.run(() -> Panache.withSession(() -> ExecutionEntity.<ExecutionEntity>findById(id)))
                .map(row -> {
                    if (row == null) {
                        return null;
                    }
                    owners.put(execution, row.owner);
                    return row.owner;
                });
    }
}
