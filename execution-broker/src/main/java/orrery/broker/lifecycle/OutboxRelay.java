package orrery.broker.lifecycle;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import orrery.model.time.TimeSource;
import orrery.support.messaging.JetStreamPublisher;
import orrery.support.messaging.SafeContexts;
import orrery.support.time.Periodic;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox: right after a transaction that wrote to it commits ({@link #kick}), and
 * every few seconds for what a crash left behind. Rows are taken with
 * {@code FOR UPDATE SKIP LOCKED}, so several broker replicas share the work without publishing a
 * row twice at once; a row whose publish failed stays pending and is tried again.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String TAKE = "SELECT id, message_id, subject, body FROM outbox WHERE published_at IS NULL "
            + "ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED";

    private final Pool pool;
    private final JetStreamPublisher publisher;
    private final TimeSource time;
    private final SafeContexts contexts;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private Periodic sweeper;

    @Inject
    public OutboxRelay(Pool pool, JetStreamPublisher publisher, TimeSource time, SafeContexts contexts) {
        this.pool = pool;
        this.publisher = publisher;
        this.time = time;
        this.contexts = contexts;
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
        contexts.run(this::drain).subscribe().with(published -> {
            running.set(false);
            if (published == 100 || again.get()) {
                kick();
            }
        }, failure -> {
            running.set(false);
            LOG.warnf("outbox relay: %s (will retry)", failure.getMessage());
        });
    }

    private Uni<Integer> drain() {
        return pool.withTransaction(connection -> connection.query(TAKE).execute().chain(rows -> {
            List<Row> pending = new ArrayList<>();
            rows.forEach(pending::add);
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (Row row : pending) {
                chain = chain.chain(count -> publisher.publishRaw(row.getString("subject"),
                                row.getBuffer("body").getBytes(), row.getString("message_id"), Map.of())
                        .chain(ack -> connection.preparedQuery("UPDATE outbox SET published_at = $1 WHERE id = $2")
                                .execute(Tuple.of(OffsetDateTime.ofInstant(time.now(), ZoneOffset.UTC), row.getLong("id"))))
                        .replaceWith(count + 1));
            }
            return chain;
        }));
    }
}
