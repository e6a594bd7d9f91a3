package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import orrery.broker.domain.Booking;
import orrery.broker.domain.Calendar;
import orrery.broker.domain.CapacitySchedule;
import orrery.broker.domain.CalendarRefusals;
import orrery.broker.domain.CapacityCalendar;
import orrery.broker.domain.CompactSchedule;
import orrery.broker.domain.ReservationState;

/**
 * Loads a pool's calendar inside a transaction. {@link #lock} takes the pool's row lock
 * ({@code SELECT ... FOR UPDATE}): every change to a pool's reservations happens under it, so
 * reservations on one pool are serialised in PostgreSQL, across broker replicas too, and no
 * check-then-insert can interleave with another.
 */
@ApplicationScoped
public class Calendars {

    /*
     * States are literals in the queries, never parameters: the partial indexes (reservation_owner_firm,
     * reservation_active) hold only for a known state, and once PostgreSQL plans a prepared statement
     * generically, a parameter leaves it scanning every reservation the user ever had (88 ms instead of
     * 0.5 ms for a bench user with 280,000 of them).
     */
    private static final String FIRM = ReservationState.class.getName() + "." + ReservationState.FIRM.name();
    private static final String HELD = ReservationState.class.getName() + "." + ReservationState.HELD.name();

    private final Ledgers ledgers;

    public Calendars(Ledgers ledgers) {
        this.ledgers = ledgers;
    }

    /** The pool row, locked; a 404 problem when there is no such pool. Call inside a transaction. */
    public Uni<PoolEntity> lock(String pool) {
        return PoolEntity.<PoolEntity>findById(pool, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> CalendarRefusals.unknownPool(pool));
    }

    /**
     * The pool's schedule, read without loading the pool into the session: a {@link #lock} later in
     * the same transaction then reads the row afresh, under the lock.
     */
    public Uni<CapacitySchedule> schedule(String pool) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select p.schedule from PoolEntity p where p.name = :name", String.class)
                .setParameter("name", pool).getSingleResultOrNull())
                .onItem().ifNull().failWith(() -> CalendarRefusals.unknownPool(pool))
                .map(CompactSchedule::parse);
    }

    public Uni<PoolEntity> find(String pool) {
        return PoolEntity.<PoolEntity>findById(pool).onItem().ifNull().failWith(() -> CalendarRefusals.unknownPool(pool));
    }

    /**
     * Locks the pool for this transaction and answers {@code question} about its calendar as of
     * {@code now}, for spans starting at {@code from} or later: from this replica's ledger, caught up
     * in the same round trip as the lock (O(log n) in the live reservations), or from the database
     * when the ledger no longer holds that far back. Call before writing any reservation.
     */
    public <T> Uni<T> lockAndDecide(String pool, long from, Instant now, java.util.function.Function<Calendar, T> question) {
        return ledgers.lockAndCatchUp(pool, now).chain(locked -> locked.ledger().answers(from)
                ? Uni.createFrom().item(() -> locked.ledger().read(locked.schedule(), question))
                : activeFrom(pool, from, now).map(bookings -> question.apply(new CapacityCalendar(locked.schedule(), bookings))));
    }

    /** The calendar of {@code pool} with the bookings active at {@code now} that end after {@code from}. */
    public Uni<CapacityCalendar> calendar(PoolEntity pool, long from, Instant now) {
        return activeFrom(pool.name, from, now).map(bookings ->
                new CapacityCalendar(CompactSchedule.parse(pool.schedule), bookings));
    }

    /**
     * Serialises one user's quota decisions (reserve, offer, accept) across pools and replicas: a
     * transaction-scoped advisory lock on the user's name. Locks are taken in one order, so that no
     * two transactions wait for each other: an execution's row, then the user, then the pool (every
     * change to a reservation takes its pool's lock, through a trigger if not before).
     * In HQL, not SQL: see {@link orrery.broker.store.ExecutionEntity#lockDue} on native queries.
     */
    public Uni<Void> lockUser(String owner) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select function('pg_advisory_xact_lock', function('hashtextextended', :owner, 7)) is null", Boolean.class)
                .setParameter("owner", owner).getSingleResult()).replaceWithVoid();
    }

    /** The footprints of {@code owner}'s firm reservations, in every pool, that end after {@code from}. */
    public Uni<List<Booking>> heldBy(String owner, long from) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select r.startTime, r.endTime, r.amount from ReservationEntity r where r.owner = :owner"
                                + " and r.endTime > :from and r.state = " + FIRM, Object[].class)
                .setParameter("owner", owner).setParameter("from", from)
                .getResultList())
                .map(rows -> rows.stream().map(row -> new Booking((Long) row[0], (Long) row[1], (Integer) row[2])).toList());
    }

    /**
     * The footprints of the reservations active at {@code now} that end after {@code from}: only
     * the three numbers each, not whole entities, since a busy pool has thousands.
     */
    public Uni<List<Booking>> activeFrom(String pool, long from, Instant now) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                        "select r.startTime, r.endTime, r.amount from ReservationEntity r where r.pool = :pool and r.endTime > :from"
                                + " and (r.state = " + FIRM + " or (r.state = " + HELD + " and r.expiresAt > :now))", Object[].class)
                .setParameter("pool", pool).setParameter("from", from).setParameter("now", now)
                .getResultList())
                .map(rows -> rows.stream().map(row -> new Booking((Long) row[0], (Long) row[1], (Integer) row[2])).toList());
    }
}
