package orrery.staging.store;

import io.quarkus.hibernate.reactive.panache.Panache;
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
import orrery.staging.domain.TransferRate;

/**
 * Queries on {@code staging_task} and {@code transfer_rate}. Entity work goes through Panache;
 * the lease sweeps use SQL ({@code FOR UPDATE SKIP LOCKED}) so several instances can share the
 * table without stepping on each other.
 */
@ApplicationScoped
public class StagingTasks {

    private final Pool pool;

    @Inject
    public StagingTasks(Pool pool) {
        this.pool = pool;
    }

    public Uni<StagingTaskEntity> find(String taskId) {
        return StagingTaskEntity.findById(taskId);
    }

    /** The row, locked for update (call inside a transaction). */
    public Uni<StagingTaskEntity> lock(String taskId) {
        return StagingTaskEntity.findById(taskId, LockModeType.PESSIMISTIC_WRITE);
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

    /** Finished tasks whose final report has not been confirmed by the stream yet. */
    public Uni<List<StagingTaskEntity>> unpublishedFinals(int limit) {
        return StagingTaskEntity.<StagingTaskEntity>find("state <> 'RUNNING' and finalPublished = false order by updatedAt")
                .page(0, limit).list();
    }

    /** The moving average rate of {@code host}, or null when never measured. */
    public Uni<Double> rate(String host) {
        return Panache.withSession(() -> TransferRateEntity.<TransferRateEntity>findById(host))
                .map(rate -> rate == null ? null : rate.bytesPerSecond);
    }

    /** The moving average rates of the given hosts (hosts never measured are absent), in one query. */
    public Uni<java.util.Map<String, Double>> rates(java.util.Collection<String> hosts) {
        if (hosts.isEmpty()) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        return Panache.withSession(() -> TransferRateEntity.<TransferRateEntity>list("host in ?1", List.copyOf(hosts)))
                .map(rows -> {
                    java.util.Map<String, Double> rates = new java.util.HashMap<>();
                    rows.forEach(row -> rates.put(row.host, row.bytesPerSecond));
                    return rates;
                });
    }

    /** Folds a measured transfer into the host's moving average. */
    public Uni<Void> recordRate(String host, double bytesPerSecond, Instant now) {
        return pool.preparedQuery("INSERT INTO transfer_rate (host, bytes_per_second, samples, updated_at) "
                        + "VALUES ($1, $2, 1, $3) ON CONFLICT (host) DO UPDATE SET "
                        + "bytes_per_second = $4 * EXCLUDED.bytes_per_second + (1 - $4) * transfer_rate.bytes_per_second, "
                        + "samples = transfer_rate.samples + 1, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.of(host, bytesPerSecond, utc(now), TransferRate.ALPHA))
                .replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
