package orrery.broker.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import orrery.broker.domain.Booking;
import orrery.broker.domain.CalendarRefusals;
import orrery.broker.domain.CapacitySchedule;
import orrery.broker.domain.CompactSchedule;
import orrery.broker.domain.PoolLedger;
import orrery.broker.domain.ReservationState;

/**
 * This replica's {@link PoolLedger} of each pool, caught up from the reservations' change numbers.
 * {@link #lockAndCatchUp} locks the pool and reads what changed since the ledger's watermark in one
 * round trip (the function {@code pool_lock_changes}, migration V9): what it applies is committed,
 * and nothing can commit meanwhile, so the ledger is then exactly the pool's active reservations,
 * whatever the other replicas did. Call it before the transaction writes any reservation, in a
 * Hibernate transaction or on a plain connection's ({@link OfferSetRows}).
 */
@ApplicationScoped
public class Ledgers {

    /** How long ended reservations stay in a ledger: spans starting earlier are read from the database. */
    static final Duration RETENTION = Duration.ofDays(1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCK_CHANGES = "SELECT pool_lock_changes($1, $2, $3)";

    private final ConcurrentHashMap<String, Kept> ledgers = new ConcurrentHashMap<>();

    /** A ledger and the pool's reset count it was built at. */
    private record Kept(PoolLedger ledger, long resets) {
    }

    /** A locked pool: its schedule and its ledger, caught up. */
    public record Locked(String pool, CapacitySchedule schedule, PoolLedger ledger) {
    }

    /** How {@code pool_lock_changes} is called: through the Hibernate session or on a plain connection. */
    @FunctionalInterface
    private interface LockCall {
        Uni<String> call(String pool, long after, long floor);
    }

    /**
     * Locks {@code pool} for the Hibernate session's transaction and brings its ledger to {@code now};
     * a 404 problem when there is no such pool.
     */
    public Uni<Locked> lockAndCatchUp(String pool, Instant now) {
        return lockAndCatchUp(pool, now, Ledgers::callInSession);
    }

    /** As {@link #lockAndCatchUp(String, Instant)}, for the transaction open on {@code connection}. */
    public Uni<Locked> lockAndCatchUp(SqlConnection connection, String pool, Instant now) {
        return lockAndCatchUp(pool, now, (name, after, floor) -> connection.preparedQuery(LOCK_CHANGES)
                .execute(Tuple.of(name, after, floor)).map(rows -> rows.iterator().next().getString(0)));
    }

    private Uni<Locked> lockAndCatchUp(String pool, Instant now, LockCall lock) {
        Kept kept = ledgers.get(pool);
        if (kept == null || !kept.ledger().advanceTo(now)) {
            return load(pool, now, lock);
        }
        return answer(lock, pool, kept.ledger().watermark(), 0).chain(answer -> {
            if (answer.path("resets").asLong() != kept.resets()) {
                return load(pool, now, lock); // a reservation was deleted: nothing to catch up from, start again
            }
            kept.ledger().apply(changes(answer));
            return Uni.createFrom().item(new Locked(pool, CompactSchedule.parse(answer.path("schedule").asText()), kept.ledger()));
        });
    }

    private Uni<Locked> load(String pool, Instant now, LockCall lock) {
        PoolLedger fresh = new PoolLedger(now, RETENTION);
        return answer(lock, pool, -1, fresh.floor()).map(answer -> {
            fresh.apply(changes(answer));
            fresh.caughtUpTo(answer.path("newest").asLong());
            ledgers.put(pool, new Kept(fresh, answer.path("resets").asLong()));
            return new Locked(pool, CompactSchedule.parse(answer.path("schedule").asText()), fresh);
        });
    }

    private static Uni<JsonNode> answer(LockCall lock, String pool, long after, long floor) {
        return lock.call(pool, after, floor).onItem().ifNull().failWith(() -> CalendarRefusals.unknownPool(pool)).map(Ledgers::parse);
    }

    /** In HQL, as a scalar function, not a native query (see {@link ExecutionEntity#lockDue} on those). */
    private static Uni<String> callInSession(String pool, long after, long floor) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select cast(function('pool_lock_changes', :pool, :after, :floor) as String)", String.class)
                .setParameter("pool", pool).setParameter("after", after).setParameter("floor", floor).getSingleResult());
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of {@code [id, start, end, amount, state, expires (epoch seconds or null), change number]}. */
    private static List<PoolLedger.Change> changes(JsonNode answer) {
        List<PoolLedger.Change> changes = new ArrayList<>();
        for (JsonNode row : answer.path("changes")) {
            JsonNode expires = row.get(5);
            Instant expiresAt = expires.isNull() ? null : instant(expires.decimalValue());
            changes.add(new PoolLedger.Change(UUID.fromString(row.get(0).asText()),
                    new Booking(row.get(1).asLong(), row.get(2).asLong(), row.get(3).asInt()),
                    ReservationState.valueOf(row.get(4).asText()), expiresAt, row.get(6).asLong()));
        }
        return changes;
    }

    private static Instant instant(BigDecimal epochSeconds) {
        long seconds = epochSeconds.longValue();
        int nanos = epochSeconds.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
