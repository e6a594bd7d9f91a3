package orrery.broker.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
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
import java.util.concurrent.atomic.AtomicBoolean;
import orrery.model.time.TimeSource;
import orrery.support.time.Periodic;
import org.jboss.logging.Logger;

/**
 * Marks offers whose time is up EXPIRED and releases their reservations. A held reservation
 * already stops counting at its expiry; the sweep makes the states say so. Safe with several
 * broker replicas: each takes a batch with {@code FOR UPDATE SKIP LOCKED}. A sweep takes batch
 * after batch until one comes back short: at hundreds of offer sets a second, one batch per
 * sweep fell behind for good, and every query that filters a user's reservations by state then
 * waded through the held rows that had piled up.
 */
@ApplicationScoped
public class OfferExpiry {

    private static final Logger LOG = Logger.getLogger(OfferExpiry.class);
    /** One batch: the offers it expired and the reservations it released ($2: the most it takes). */
    private static final String SWEEP = "WITH expired AS ("
            + " UPDATE execution SET phase = 'EXPIRED', reason = 'the offer expired', updated_at = $1, version = version + 1"
            + " WHERE id IN (SELECT id FROM execution WHERE phase = 'OFFERED' AND expires_at <= $1"
            + " ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING reservation_id),"
            + " released AS (UPDATE reservation SET state = 'RELEASED', released_at = $1"
            + " WHERE id IN (SELECT reservation_id FROM expired) AND state = 'HELD' RETURNING id)"
            + " SELECT (SELECT count(*) FROM expired) AS expired, (SELECT count(*) FROM released) AS released";

    /** What batches of a sweep did. */
    private record Swept(long expired, long released) {
    }

    private final Pool pool;
    private final TimeSource time;
    private final Duration every;
    private final int batch;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private Periodic sweeper;

    @Inject
    public OfferExpiry(Pool pool, TimeSource time, orrery.broker.config.BrokerConfig config) {
        this.pool = pool;
        this.time = time;
        this.every = config.offers().sweepEvery();
        this.batch = config.offers().sweepBatch();
    }

    void start(@Observes StartupEvent startup) {
        sweeper = Periodic.every(time, every, "offer expiry", this::sweepNow);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (sweeper != null) {
            sweeper.close();
        }
    }

    /** Runs one sweep, batch after batch until nothing more is due; the reservations released (also called by tests). */
    public Uni<Integer> sweep() {
        OffsetDateTime now = OffsetDateTime.ofInstant(time.now(), ZoneOffset.UTC);
        return Multi.createBy().repeating().uni(() -> batch(now)).whilst(swept -> swept.expired() == batch)
                .collect().in(() -> new long[1], (total, swept) -> total[0] += swept.released())
                .map(total -> (int) total[0]);
    }

    private Uni<Swept> batch(OffsetDateTime now) {
        return pool.preparedQuery(SWEEP).execute(Tuple.of(now, batch)).map(rows -> {
            Row row = rows.iterator().next();
            return new Swept(row.getLong("expired"), row.getLong("released"));
        });
    }

    /** A periodic sweep; skipped while the last one is still taking batches (replicas may overlap: SKIP LOCKED). */
    private void sweepNow() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        sweep().eventually(() -> sweeping.set(false)).subscribe().with(released -> {
            if (released > 0) {
                LOG.infof("expired offers released %d reservation(s)", released);
            }
        }, failure -> LOG.warnf("offer expiry sweep failed: %s", failure.getMessage()));
    }
}
