package orrery.broker.service;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.broker.service.ExecutionEvents.PhaseChange;
import orrery.broker.store.ExecutionEntity;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.execution.ExecutionEvent;
import orrery.model.messaging.Subjects;
import orrery.model.util.BoundedMaps;
import orrery.support.messaging.SafeContexts;
import org.jboss.logging.Logger;

/**
 * Every phase change of one user's executions as it happens, for a list that stays current
 * without polling. One subscription to {@code events.execution.>} for the whole broker: each
 * change is decoded and its owner looked up once (and remembered), then handed to every reader,
 * who keeps their own. The stream has no history and never ends by itself; a reader takes each
 * change as a cue to read that execution again.
 */
@ApplicationScoped
public class OwnerEvents {

    private static final Logger LOG = Logger.getLogger(OwnerEvents.class);
    private static final int REMEMBERED_OWNERS = 10_000;
    /** A database that does not answer must not hold the subscription's thread for long. */
    private static final Duration LOOKUP_PATIENCE = Duration.ofSeconds(10);

    private final Connection connection;
    private final EnvelopeCodec codec;
    private final SafeContexts contexts;
    private final BroadcastProcessor<Owned> changes = BroadcastProcessor.create();
    private final Map<String, String> owners = Collections.synchronizedMap(BoundedMaps.leastRecentlyUsed(REMEMBERED_OWNERS));
    /** Readers of {@link #stream} now: with none, a change is not even decoded (a replay makes thousands). */
    private final AtomicInteger readers = new AtomicInteger();
    private Dispatcher dispatcher;

    @Inject
    public OwnerEvents(Connection connection, EnvelopeCodec codec, SafeContexts contexts) {
        this.connection = connection;
        this.codec = codec;
        this.contexts = contexts;
    }

    void start(@Observes StartupEvent startup) {
        // one dispatcher thread: changes reach the processor one at a time, in the order NATS gave them
        dispatcher = connection.createDispatcher(message -> {
            if (readers.get() == 0) {
                return; // nobody would see it
            }
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
            String owner;
            try {
                owner = ownerOf(change.execution()).await().atMost(LOOKUP_PATIENCE);
            } catch (RuntimeException e) {
                LOG.debugf("no owner for %s in time, a reader re-reads on the next change: %s", change.execution(), e.getMessage());
                return;
            }
            if (owner != null) {
                changes.onNext(new Owned(owner, change));
            }
        });
        dispatcher.subscribe(Subjects.EXECUTION_EVENTS_ALL);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (dispatcher != null) {
            connection.closeDispatcher(dispatcher);
        }
    }

    /** The changes of {@code owner}'s executions from now on. */
    public Multi<PhaseChange> stream(String owner) {
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        Multi<PhaseChange> mine = changes.filter(owned -> owned.owner().equals(owner)).map(Owned::change)
                .onOverflow().drop()
                .onSubscription().invoke(subscription -> readers.incrementAndGet())
                .onTermination().invoke(readers::decrementAndGet);
        return caller == null ? mine : mine.emitOn(task -> caller.runOnContext(ignored -> task.run()));
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
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("no owner for %s: %s", execution, failure.getMessage());
                    return null;
                });
    }

    private record Owned(String owner, PhaseChange change) {
    }
}
