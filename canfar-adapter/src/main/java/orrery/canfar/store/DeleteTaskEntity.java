package orrery.canfar.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A delete task, answered (COMPLETED) once its session has ended (table {@code canfar_delete_task}). */
@Entity
@Table(name = "canfar_delete_task")
public class DeleteTaskEntity extends PanacheEntityBase {

    @Id
    public String taskId;
    @Column(nullable = false)
    public String sessionId;
    public String correlationId;
    @Column(nullable = false)
    public Instant requestedAt;
    public boolean reported;

    /** The delete task {@code taskId}, or null. */
    public static Uni<DeleteTaskEntity> findByTask(String taskId) {
        return findById(taskId);
    }

    /** The delete tasks of {@code sessionId} not yet answered. */
    public static Uni<List<DeleteTaskEntity>> findOpenFor(String sessionId) {
        return find("sessionId = ?1 and reported = false", sessionId).list();
    }
}
