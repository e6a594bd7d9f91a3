package orrery.broker.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import orrery.broker.domain.Booking;

/**
 * The offer-set path's reads and writes on the plain reactive client, without Hibernate: offer sets
 * are the broker's hottest write, and mapping entities cost more CPU than PostgreSQL did. Offer sets,
 * their held reservations and their executions (phase OFFERED) go in as one statement however many
 * offer sets a batch holds ({@link orrery.broker.service.OfferBatches}), so the pool's lock is held
 * for three round trips (lock, insert, commit), not one per table.
 */
@ApplicationScoped
public class OfferSetRows {

    /*
     * Every row as arrays, unnested: one statement, one plan, for any number of rows. The foreign keys
     * from execution to offer_set and reservation are checked at the end of the statement, when the
     * rows of the other two parts are in. States and phases are literals (see Calendars on partial indexes).
     */
    private static final String INSERT = "WITH sets AS (INSERT INTO offer_set"
            + " (id, owner, name, request, result, reasons, created_at, expires_at)"
            + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
            + " $7::timestamptz[], $8::timestamptz[])),"
            + " holds AS (INSERT INTO reservation (id, pool, owner, start_time, end_time, amount, state, purpose, expires_at, created_at)"
            + " SELECT h.id, $9, h.owner, h.start_time, h.end_time, h.amount, 'HELD', 'offer', h.expires_at, h.created_at"
            + " FROM unnest($10::uuid[], $11::text[], $12::bigint[], $13::bigint[], $14::int[], $15::timestamptz[],"
            + " $16::timestamptz[]) AS h (id, owner, start_time, end_time, amount, expires_at, created_at))"
            + " INSERT INTO execution (id, offer_set_id, owner, name, phase, pool, reservation_id, cores, memory, prep_start,"
            + " start_at, duration_s, prep_cost_s, steps, session, expires_at, created_at, updated_at)"
            + " SELECT e.id, e.offer_set_id, e.owner, e.name, 'OFFERED', $9, e.reservation_id, e.cores, e.memory, e.prep_start,"
            + " e.start_at, e.duration_s, e.prep_cost_s, e.steps, e.session, e.expires_at, e.created_at, e.created_at"
            + " FROM unnest($17::uuid[], $18::uuid[], $19::text[], $20::text[], $21::uuid[], $22::int[], $23::int[],"
            + " $24::timestamptz[], $25::timestamptz[], $26::bigint[], $27::bigint[], $28::text[], $29::text[],"
            + " $30::timestamptz[], $31::timestamptz[]) AS e (id, offer_set_id, owner, name, reservation_id, cores, memory,"
            + " prep_start, start_at, duration_s, prep_cost_s, steps, session, expires_at, created_at)";

    private static final String HELD_BY = "SELECT start_time, end_time, amount FROM reservation"
            + " WHERE owner = $1 AND end_time > $2 AND state = 'FIRM'";

    private static final String ACTIVE_FROM = "SELECT start_time, end_time, amount FROM reservation"
            + " WHERE pool = $1 AND end_time > $2 AND (state = 'FIRM' OR (state = 'HELD' AND expires_at > $3))";

    /** An offer set to store, with its held reservations and its offers (one each, in the same order). */
    public record Stored(OfferSetEntity set, List<ReservationEntity> holds, List<ExecutionEntity> offers) {
    }

    /** Inserts the offer sets, their reservations and their offers on {@code pool}, in one statement. */
    public Uni<Void> insert(SqlConnection connection, String pool, List<Stored> stored) {
        List<OfferSetEntity> sets = stored.stream().map(Stored::set).toList();
        List<ReservationEntity> holds = stored.stream().flatMap(s -> s.holds().stream()).toList();
        List<ExecutionEntity> offers = stored.stream().flatMap(s -> s.offers().stream()).toList();
        Tuple values = Tuple.tuple();
        values.addValue(column(sets, s -> s.id, UUID[]::new));
        values.addValue(column(sets, s -> s.owner, String[]::new));
        values.addValue(column(sets, s -> s.name, String[]::new));
        values.addValue(column(sets, s -> s.request, String[]::new));
        values.addValue(column(sets, s -> s.result, String[]::new));
        values.addValue(column(sets, s -> s.reasons, String[]::new));
        values.addValue(column(sets, s -> at(s.createdAt), OffsetDateTime[]::new));
        values.addValue(column(sets, s -> at(s.expiresAt), OffsetDateTime[]::new));
        values.addValue(pool);
        values.addValue(column(holds, h -> h.id, UUID[]::new));
        values.addValue(column(holds, h -> h.owner, String[]::new));
        values.addValue(column(holds, h -> h.startTime, Long[]::new));
        values.addValue(column(holds, h -> h.endTime, Long[]::new));
        values.addValue(column(holds, h -> h.amount, Integer[]::new));
        values.addValue(column(holds, h -> at(h.expiresAt), OffsetDateTime[]::new));
        values.addValue(column(holds, h -> at(h.createdAt), OffsetDateTime[]::new));
        values.addValue(column(offers, e -> e.id, UUID[]::new));
        values.addValue(column(offers, e -> e.offerSetId, UUID[]::new));
        values.addValue(column(offers, e -> e.owner, String[]::new));
        values.addValue(column(offers, e -> e.name, String[]::new));
        values.addValue(column(offers, e -> e.reservationId, UUID[]::new));
        values.addValue(column(offers, e -> e.cores, Integer[]::new));
        values.addValue(column(offers, e -> e.memory, Integer[]::new));
        values.addValue(column(offers, e -> at(e.prepStart), OffsetDateTime[]::new));
        values.addValue(column(offers, e -> at(e.startAt), OffsetDateTime[]::new));
        values.addValue(column(offers, e -> e.durationSeconds, Long[]::new));
        values.addValue(column(offers, e -> e.prepCostSeconds, Long[]::new));
        values.addValue(column(offers, e -> e.steps, String[]::new));
        values.addValue(column(offers, e -> e.session, String[]::new));
        values.addValue(column(offers, e -> at(e.expiresAt), OffsetDateTime[]::new));
        values.addValue(column(offers, e -> at(e.createdAt), OffsetDateTime[]::new));
        return connection.preparedQuery(INSERT).execute(values).replaceWithVoid();
    }

    /** One parameter: a column of {@code rows} as an array. */
    private static <R, T> T[] column(List<R> rows, Function<R, T> value, IntFunction<T[]> array) {
        return rows.stream().map(value).toArray(array);
    }

    /** The footprints of {@code owner}'s firm reservations, in every pool, that end after {@code from}. */
    public Uni<List<Booking>> heldBy(SqlClient client, String owner, long from) {
        return client.preparedQuery(HELD_BY).execute(Tuple.of(owner, from)).map(OfferSetRows::bookings);
    }

    /** The footprints of {@code pool}'s reservations active at {@code now} that end after {@code from}. */
    public Uni<List<Booking>> activeFrom(SqlClient client, String pool, long from, Instant now) {
        return client.preparedQuery(ACTIVE_FROM).execute(Tuple.of(pool, from, at(now))).map(OfferSetRows::bookings);
    }

    private static List<Booking> bookings(Iterable<Row> rows) {
        List<Booking> bookings = new ArrayList<>();
        for (Row row : rows) {
            bookings.add(new Booking(row.getLong(0), row.getLong(1), row.getInteger(2)));
        }
        return bookings;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
