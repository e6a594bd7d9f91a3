package orrery.broker.service;

import io.nats.client.JetStreamApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import orrery.broker.store.ExecutionEntity;
import orrery.model.messaging.Headers;
import orrery.model.messaging.Subjects;
import orrery.model.time.TimeSource;
import orrery.support.messaging.JetStreamPublisher;
import orrery.support.messaging.SafeContexts;
import orrery.support.time.Periodic;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox: right after a transaction that wrote to it commits ({@link #kick}), and
 * every few seconds for what a crash or an outage left behind. Rows are taken in order with
 * {@code FOR UPDATE SKIP LOCKED}, so several broker replicas share the work without publishing a
 * row twice at once, and published one by one:
 * <ul>
 *   <li>published: marked so, in the same transaction (one statement for the run's published rows);</li>
 *   <li>refused for good (too large for the server, a subject or message it will never take): moved
 *       aside ({@code failed_at}, {@code failure}), copied to {@code dlq.<subject>} with the reason,
 *       and its execution FAILED with that reason, so it blocks nothing behind it;</li>
 *   <li>not taken now (NATS away, no acknowledgement): the run stops there, keeping what was marked;
 *       that row and every later one are tried again on the next run, so the order holds.</li>
 * </ul>
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;
    /** A dead letter keeps at most this much of a body that was too large to send. */
    private static final int DEAD_LETTER_BODY_LIMIT = 64 * 1024;
    private static final String TAKE = "SELECT id, message_id, subject, body, execution_id FROM outbox "
            + "WHERE published_at IS NULL AND failed_at IS NULL ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED";

    private final Pool pool;
    private final JetStreamPublisher publisher;
    private final TimeSource time;
    private final SafeContexts contexts;
    private final Lifecycle lifecycle;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private Periodic sweeper;

    /** A row the server will never take. */
    private record Refused(long id, String subject, byte[] body, UUID executionId, String reason) {
    }

    /** What one run did. */
    private static final class Run {
        int taken;
        boolean stopped;
        final List<Long> published = new ArrayList<>();
        final List<Refused> refused = new ArrayList<>();
    }

    @Inject
    public OutboxRelay(Pool pool, JetStreamPublisher publisher, TimeSource time, SafeContexts contexts, Lifecycle lifecycle) {
        this.pool = pool;
        this.publisher = publisher;
        this.time = time;
        this.contexts = contexts;
        this.lifecycle = lifecycle;
    }

    void start(@Observes StartupEvent startup) {
        sweeper = Periodic.every(time, Duration.ofSeconds(5), "outbox relay", this::kick);
        kick();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (sweeper != null) {
            sweeper.close();
        }
    }

    /** Publishes what is pending, now; cheap to call often (runs are coalesced). */
    public void kick() {
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        contexts.run(() -> drain().call(this::moveAside)).subscribe().with(run -> {
            running.set(false);
            if (!run.stopped && (run.taken == BATCH || again.get() || !run.refused.isEmpty())) {
                kick();
            }
        }, failure -> {
            running.set(false);
            LOG.warnf("outbox relay: %s (will retry)", failure.getMessage());
        });
    }

    private Uni<Run> drain() {
        return pool.withTransaction(connection -> connection.query(TAKE).execute().chain(rows -> {
            Run run = new Run();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row row : rows) {
                run.taken++;
                chain = chain.chain(() -> run.stopped ? Uni.createFrom().voidItem() : publishOne(connection, row, run));
            }
            return chain.chain(() -> markPublished(connection, run)).replaceWith(run);
        }));
    }

    private Uni<Void> markPublished(SqlConnection connection, Run run) {
        if (run.published.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("UPDATE outbox SET published_at = $1 WHERE id = ANY($2)")
                .execute(Tuple.of(now(), run.published.toArray(Long[]::new))).replaceWithVoid();
    }

    private Uni<Void> publishOne(SqlConnection connection, Row row, Run run) {
        long id = row.getLong("id");
        String subject = row.getString("subject");
        byte[] body = row.getBuffer("body").getBytes();
        return publisher.publishRaw(subject, body, row.getString("message_id"), Map.of())
                .invoke(ack -> run.published.add(id)).replaceWithVoid()
                .onFailure(OutboxRelay::neverPublishable).recoverWithUni(failure -> {
                    String reason = "the server refused " + subject + " for good: " + cause(failure).getMessage();
                    run.refused.add(new Refused(id, subject, body, row.getUUID("execution_id"), reason));
                    return connection.preparedQuery("UPDATE outbox SET failed_at = $1, failure = $2 WHERE id = $3")
                            .execute(Tuple.of(now(), reason, id)).replaceWithVoid();
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("outbox relay stops at row %d: %s", id, failure.getMessage());
                    run.stopped = true; // NATS is away or slow: this row and all after it wait for the next run
                    return null;
                });
    }

    /** Too large, a subject the server will never accept, or a 4xx answer from JetStream: trying again cannot help. */
    static boolean neverPublishable(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof IllegalArgumentException) {
            return true;
        }
        return cause instanceof JetStreamApiException api && api.getErrorCode() >= 400 && api.getErrorCode() < 500;
    }

    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private Uni<Void> moveAside(Run run) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Refused refused : run.refused) {
            LOG.errorf("outbox row %d moved aside: %s", refused.id(), refused.reason());
            chain = chain.chain(() -> deadLetter(refused)).chain(() -> failExecution(refused));
        }
        return chain;
    }

    /** A copy for operators; best effort, since the row itself keeps the whole body and the reason. */
    private Uni<Void> deadLetter(Refused refused) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.DLQ_REASON, refused.reason().replaceAll("[\\r\\n]+", " "));
        headers.put(Headers.DLQ_SUBJECT, refused.subject());
        headers.put(Headers.DLQ_CONSUMER, "outbox");
        byte[] body = refused.body();
        if (body.length > DEAD_LETTER_BODY_LIMIT) {
            headers.put(Headers.DLQ_ORIGINAL_SIZE, Integer.toString(body.length));
            body = Arrays.copyOf(body, DEAD_LETTER_BODY_LIMIT);
        }
        return publisher.publishRaw(Subjects.deadLetter(refused.subject()), body, "dlq-outbox-" + refused.id(), headers).replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("could not dead-letter outbox row %d (%s); it stays in the outbox table", refused.id(), failure.getMessage());
                    return null;
                });
    }

    private Uni<Void> failExecution(Refused refused) {
        if (refused.executionId() == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> ExecutionEntity.findForUpdate(refused.executionId())
                .chain(row -> row == null ? Uni.createFrom().voidItem() : lifecycle.undeliverable(row, refused.reason())));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(time.now(), ZoneOffset.UTC);
    }
}
