package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import orrery.broker.domain.StepKind;
import orrery.broker.domain.StepStatus;

/** A task the broker sent for an execution, and what its owner last reported. */
@Entity
@Table(name = "execution_step")
public class StepEntity extends PanacheEntityBase {

    @Id
    public String taskId;

    public UUID executionId;

    @Enumerated(EnumType.STRING)
    public StepKind kind;

    public String name;

    @Enumerated(EnumType.STRING)
    public StepStatus state;

    @Column(name = "cost_s")
    public long costSeconds;

    public long sequence;

    public long lamport;

    public Long progressDone;

    public Long progressTotal;

    public String reason;

    public String result;

    public Instant dispatchedAt;

    public Instant createdAt;

    public Instant updatedAt;

    public boolean isFinal() {
        return state.isFinal();
    }

    /** The steps of an execution, in the order they were created. */
    public static Uni<List<StepEntity>> listByExecution(UUID executionId) {
        return list("executionId = ?1 order by createdAt, taskId", executionId);
    }

    /** The step of task {@code taskId}, locked; null if there is none (yet). */
    public static Uni<StepEntity> findForUpdate(String taskId) {
        return findById(taskId, LockModeType.PESSIMISTIC_WRITE);
    }
}
