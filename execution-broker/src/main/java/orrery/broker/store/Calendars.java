package orrery.broker.store;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import orrery.broker.domain.Booking;
import orrery.broker.domain.CalendarRefusals;
import orrery.broker.domain.CapacityCalendar;
import orrery.broker.domain.ScheduleRequest;

/**
 * Loads a pool's calendar inside a transaction. {@link #lock} takes the pool's row lock
 * ({@code SELECT ... FOR UPDATE}): every change to a pool's reservations happens under it, so
 * reservations on one pool are serialised in PostgreSQL, across broker replicas too, and no
 * check-then-insert can interleave with another.
 */
@ApplicationScoped
public class Calendars {

    /** The pool row, locked; a 404 problem when there is no such pool. Call inside a transaction. */
    public Uni<PoolEntity> lock(String pool) {
        return PoolEntity.<PoolEntity>findById(pool, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> CalendarRefusals.unknownPool(pool));
    }

    public Uni<PoolEntity> find(String pool) {
        return PoolEntity.<PoolEntity>findById(pool).onItem().ifNull().failWith(() -> CalendarRefusals.unknownPool(pool));
    }

    /** The calendar of {@code pool} with the bookings active at {@code now} that end after {@code from}. */
    public Uni<CapacityCalendar> calendar(PoolEntity pool, long from, Instant now) {
        return activeFrom(pool.name, from, now).map(bookings ->
                new CapacityCalendar(ScheduleRequest.parseCompact(pool.schedule), bookings));
    }

    public Uni<List<Booking>> activeFrom(String pool, long from, Instant now) {
        return ReservationEntity.<ReservationEntity>list(
                        "pool = ?1 and endTime > ?2 and (state = 'FIRM' or (state = 'HELD' and expiresAt > ?3))", pool, from, now)
                .map(rows -> rows.stream().map(ReservationEntity::booking).toList());
    }
}
