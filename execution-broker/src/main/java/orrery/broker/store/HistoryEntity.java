package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import orrery.broker.domain.Phase;

/** One phase an execution passed through. */
@Entity
@Table(name = "execution_history")
public class HistoryEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public UUID executionId;

    @Enumerated(EnumType.STRING)
    public Phase phase;

    @Enumerated(EnumType.STRING)
    public Phase previous;

    public String reason;

    public Instant at;

    public long lamport;

    /** An execution's phases, in the order they were recorded. */
    public static Uni<List<HistoryEntity>> listByExecution(UUID executionId) {
        return list("executionId = ?1 order by id", executionId);
    }
}
