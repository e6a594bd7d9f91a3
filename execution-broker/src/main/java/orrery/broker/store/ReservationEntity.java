package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import orrery.broker.domain.Booking;

/** A reservation of cores on a pool's calendar. */
@Entity
@Table(name = "reservation")
public class ReservationEntity extends PanacheEntityBase {

    /** Reservation states. */
    public static final String HELD = "HELD";
    public static final String FIRM = "FIRM";
    public static final String RELEASED = "RELEASED";

    @Id
    public UUID id;

    public String pool;

    public String owner;

    @Column(name = "start_time")
    public long startTime;

    @Column(name = "end_time")
    public long endTime;

    public int amount;

    public String state;

    public String purpose;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "released_at")
    public Instant releasedAt;

    public Booking booking() {
        return new Booking(startTime, endTime, amount);
    }

    /** Counts against the calendar at {@code now}: firm, or held and not yet lapsed. */
    public boolean isActive(Instant now) {
        return FIRM.equals(state) || (HELD.equals(state) && (expiresAt == null || expiresAt.isAfter(now)));
    }
}
