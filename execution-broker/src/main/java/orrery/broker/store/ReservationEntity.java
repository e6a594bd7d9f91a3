package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import orrery.broker.domain.Booking;
import orrery.broker.domain.ReservationState;

/** A reservation of cores on a pool's calendar. */
@Entity
@Table(name = "reservation")
public class ReservationEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    public String pool;

    public String owner;

    public long startTime;

    public long endTime;

    public int amount;

    @Enumerated(EnumType.STRING)
    public ReservationState state;

    public String purpose;

    public Instant expiresAt;

    public Instant createdAt;

    public Instant releasedAt;

    /** Set by the database on every change (migration V8): what broker replicas catch up from. */
    @Column(insertable = false, updatable = false)
    public Long changeNumber;

    public Booking booking() {
        return new Booking(startTime, endTime, amount);
    }

    /** Counts against the calendar at {@code now}: firm, or held and not yet lapsed. */
    public boolean isActive(Instant now) {
        return state == ReservationState.FIRM || (state == ReservationState.HELD && (expiresAt == null || expiresAt.isAfter(now)));
    }

    /** Gives the whole reservation back to the pool (call inside a transaction). */
    public static Uni<Void> release(UUID id, Instant now) {
        return ReservationEntity.<ReservationEntity>findById(id).map(reservation -> {
            if (reservation != null && reservation.state != ReservationState.RELEASED) {
                reservation.state = ReservationState.RELEASED;
                reservation.releasedAt = now;
            }
            return null;
        });
    }

    /** Ends a firm reservation at {@code at} when it would have lasted longer (an execution ended early). */
    public static Uni<Void> giveBackFrom(UUID id, Instant at) {
        return ReservationEntity.<ReservationEntity>findById(id).map(reservation -> {
            if (reservation != null && reservation.state == ReservationState.FIRM && at.getEpochSecond() < reservation.endTime) {
                reservation.endTime = Math.max(reservation.startTime + 1, at.getEpochSecond());
            }
            return null;
        });
    }
}
