package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A task the broker sent for an execution, and what its owner last reported. */
@Entity
@Table(name = "execution_step")
public class StepEntity extends PanacheEntityBase {

    /** Step states (DESIGN.md: CREATED → RUNNING → COMPLETED | FAILED | CANCELLED). */
    public static final String CREATED = "CREATED";
    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";

    @Id
    @Column(name = "task_id")
    public String taskId;

    @Column(name = "execution_id")
    public UUID executionId;

    public String kind;

    public String name;

    public String state;

    @Column(name = "cost_s")
    public long costSeconds;

    public long sequence;

    public long lamport;

    @Column(name = "progress_done")
    public Long progressDone;

    @Column(name = "progress_total")
    public Long progressTotal;

    public String reason;

    public String result;

    @Column(name = "dispatched_at")
    public Instant dispatchedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public boolean isFinal() {
        return COMPLETED.equals(state) || FAILED.equals(state) || CANCELLED.equals(state);
    }
}
