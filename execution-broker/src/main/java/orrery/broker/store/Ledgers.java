package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import orrery.broker.domain.Booking;
import orrery.broker.domain.PoolLedger;
import orrery.broker.domain.ReservationState;

/**
 * This replica's {@link PoolLedger} of each pool, caught up from the reservations' change numbers.
 * Only ever caught up inside a transaction holding the pool's row lock and before it writes any
 * reservation, so what it applies is committed and nothing can commit meanwhile: the ledger is
 * then exactly the pool's active reservations, whatever the other replicas did.
 */
@ApplicationScoped
public class Ledgers {

    /** How long ended reservations stay in a ledger: spans starting earlier are read from the database. */
    static final Duration RETENTION = Duration.ofDays(1);

    private static final String COLUMNS = "select r.id, r.startTime, r.endTime, r.amount, r.state, r.expiresAt, r.changeNumber"
            + " from ReservationEntity r where r.pool = :pool";

    private final ConcurrentHashMap<String, Kept> ledgers = new ConcurrentHashMap<>();

    /** A ledger and the pool's reset count it was built at. */
    private record Kept(PoolLedger ledger, long resets) {
    }

    /** The pool's ledger as of {@code now}. Call under the pool's lock, before writing reservations. */
    public Uni<PoolLedger> caughtUp(PoolEntity pool, Instant now) {
        Kept kept = ledgers.get(pool.name);
        if (kept == null || kept.resets() != pool.resets || !kept.ledger().advanceTo(now)) {
            return load(pool, now);
        }
        PoolLedger ledger = kept.ledger();
        return changes(COLUMNS + " and r.changeNumber > :after", pool.name, "after", ledger.watermark())
                .map(changes -> {
                    ledger.apply(changes);
                    return ledger;
                });
    }

    /** A new ledger: the newest change number first, then the active reservations; under the lock nothing changes between. */
    private Uni<PoolLedger> load(PoolEntity pool, Instant now) {
        PoolLedger fresh = new PoolLedger(now, RETENTION);
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select coalesce(max(r.changeNumber), 0) from ReservationEntity r where r.pool = :pool", Long.class)
                .setParameter("pool", pool.name).getSingleResult())
                .chain(newest -> changes(COLUMNS + " and r.endTime > :floor and r.state <> :released", pool.name, "floor",
                        fresh.floor())
                        .map(changes -> {
                            fresh.apply(changes);
                            fresh.caughtUpTo(newest);
                            ledgers.put(pool.name, new Kept(fresh, pool.resets));
                            return fresh;
                        }));
    }

    private static Uni<List<PoolLedger.Change>> changes(String query, String pool, String name, long value) {
        return Panache.getSession().chain(session -> {
            var select = session.createSelectionQuery(query, Object[].class).setParameter("pool", pool).setParameter(name, value);
            if (query.contains(":released")) {
                select.setParameter("released", ReservationState.RELEASED);
            }
            return select.getResultList();
        }).map(rows -> rows.stream().map(Ledgers::change).toList());
    }

    private static PoolLedger.Change change(Object[] row) {
        return new PoolLedger.Change((UUID) row[0], new Booking((Long) row[1], (Long) row[2], (Integer) row[3]),
                (ReservationState) row[4], (Instant) row[5], (Long) row[6]);
    }
}
