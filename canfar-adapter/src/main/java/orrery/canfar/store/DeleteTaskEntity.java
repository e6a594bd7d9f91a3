package orrery.canfar.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A delete task, answered (COMPLETED) once its session has ended (table {@code canfar_delete_task}). */
@Entity
@Table(name = "canfar_delete_task")
public class DeleteTaskEntity extends PanacheEntityBase {

    @Id
    @Column(name = "task_id")
    public String taskId;
    @Column(name = "session_id", nullable = false)
    public String sessionId;
    @Column(name = "correlation_id")
    public String correlationId;
    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
    public boolean reported;
}
