package orrery.staging.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Finders on {@code staging_task}. Entity work goes through Panache (the caller opens the session
 * or transaction); the lease sweeps use SQL ({@code FOR UPDATE SKIP LOCKED}) so several instances
 * can share the table without stepping on each other.
 */
@ApplicationScoped
public class StagingTasks implements PanacheRepositoryBase<StagingTaskEntity, String> {

    private final Pool pool;

    @Inject
    public StagingTasks(Pool pool) {
        this.pool = pool;
    }

    /** The row, locked for update (call inside a transaction). */
    public Uni<StagingTaskEntity> lock(String taskId) {
        return findById(taskId, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<List<StagingTaskEntity>> listByIds(List<String> taskIds) {
        return list("taskId in ?1", taskIds);
    }

    /** Finished tasks whose final report has not been confirmed by the stream yet, oldest first. */
    public Uni<List<StagingTaskEntity>> unpublishedFinals(int limit) {
        return find("state <> 'RUNNING' and finalPublished = false order by updatedAt").page(0, limit).list();
    }

    /** Records that the stream confirmed the task's final report. */
    public Uni<Integer> markFinalPublished(String taskId) {
        return update("finalPublished = true where taskId = ?1", taskId);
    }

    /** Claims running tasks whose owner stopped renewing its lease; returns their ids. */
    public Uni<List<String>> claimOrphans(String me, Instant now, Instant until, int limit) {
        return pool.preparedQuery("UPDATE staging_task SET owner = $1, lease_until = $2, updated_at = $3 "
                        + "WHERE task_id IN (SELECT task_id FROM staging_task WHERE state = 'RUNNING' "
                        + "AND (lease_until IS NULL OR lease_until < $3) ORDER BY created_at LIMIT $4 "
                        + "FOR UPDATE SKIP LOCKED) RETURNING task_id")
                .execute(Tuple.of(me, utc(until), utc(now), limit))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getString("task_id"));
                    }
                    return ids;
                });
    }

    /** Extends this instance's leases on the given running tasks. */
    public Uni<Integer> renewLeases(String me, List<String> taskIds, Instant until) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.preparedQuery("UPDATE staging_task SET lease_until = $1 WHERE owner = $2 AND state = 'RUNNING' "
                        + "AND task_id = ANY($3)")
                .execute(Tuple.of(utc(until), me, taskIds.toArray(new String[0])))
                .map(rows -> rows.rowCount());
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
