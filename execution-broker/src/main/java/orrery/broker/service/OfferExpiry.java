package orrery.broker.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import orrery.model.time.TimeSource;
import orrery.support.time.Periodic;
import org.jboss.logging.Logger;

/**
 * Marks offers whose time is up EXPIRED and releases their reservations. A held reservation
 * already stops counting at its expiry; the sweep makes the states say so. Safe with several
 * broker replicas: each takes a batch with {@code FOR UPDATE SKIP LOCKED}.
 */
@ApplicationScoped
public class OfferExpiry {

    private static final Logger LOG = Logger.getLogger(OfferExpiry.class);
    private static final String SWEEP = "WITH expired AS ("
            + " UPDATE execution SET phase = 'EXPIRED', reason = 'the offer expired', updated_at = $1, version = version + 1"
            + " WHERE id IN (SELECT id FROM execution WHERE phase = 'OFFERED' AND expires_at <= $1"
            + " ORDER BY expires_at LIMIT 500 FOR UPDATE SKIP LOCKED) RETURNING reservation_id)"
            + " UPDATE reservation SET state = 'RELEASED', released_at = $1"
            + " WHERE id IN (SELECT reservation_id FROM expired) AND state = 'HELD'";

    private final Pool pool;
    private final TimeSource time;
    private final Duration every;
    private Periodic sweeper;

    @Inject
    public OfferExpiry(Pool pool, TimeSource time, orrery.broker.config.BrokerConfig config) {
        this.pool = pool;
        this.time = time;
        this.every = config.offers().sweepEvery();
    }

    void start(@Observes StartupEvent startup) {
        sweeper = Periodic.every(time, every, "offer expiry", this::sweepNow);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (sweeper != null) {
            sweeper.close();
        }
    }

    /** Runs one sweep (also called by tests). */
    public io.smallrye.mutiny.Uni<Integer> sweep() {
        OffsetDateTime now = OffsetDateTime.ofInstant(time.now(), ZoneOffset.UTC);
        return pool.preparedQuery(SWEEP).execute(Tuple.of(now)).map(rows -> rows.rowCount());
    }

    private void sweepNow() {
        sweep().subscribe().with(released -> {
            if (released > 0) {
                LOG.infof("expired offers released %d reservation(s)", released);
            }
        }, failure -> LOG.warnf("offer expiry sweep failed: %s", failure.getMessage()));
    }
}
