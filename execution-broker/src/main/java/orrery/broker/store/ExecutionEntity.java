package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** An offer and, once accepted, the execution it became. */
@Entity
@Table(name = "execution")
public class ExecutionEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "offer_set_id")
    public UUID offerSetId;

    public String owner;

    public String name;

    public String phase;

    public String pool;

    @Column(name = "reservation_id")
    public UUID reservationId;

    public int cores;

    public int memory;

    @Column(name = "prep_start")
    public Instant prepStart;

    @Column(name = "start_at")
    public Instant startAt;

    @Column(name = "duration_s")
    public long durationSeconds;

    @Column(name = "prep_cost_s")
    public long prepCostSeconds;

    public String steps;

    @Column(name = "expires_at")
    public Instant expiresAt;

    public String reason;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "late_policy")
    public String latePolicy;

    public boolean late;

    @Column(name = "session_id")
    public String sessionId;

    @Column(name = "connect_url")
    public String connectUrl;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public long lamport;

    /** The session to run, as JSON ({@link orrery.broker.offers.SessionSpec}). */
    public String session;

    @Version
    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public Duration duration() {
        return Duration.ofSeconds(durationSeconds);
    }

    public Duration preparation() {
        return Duration.ofSeconds(prepCostSeconds);
    }
}
