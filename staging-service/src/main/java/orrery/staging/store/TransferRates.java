package orrery.staging.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import orrery.staging.domain.TransferRate;

/** Finders on {@code transfer_rate}: how fast each source host has delivered (see {@link TransferRate}). */
@ApplicationScoped
public class TransferRates implements PanacheRepositoryBase<TransferRateEntity, String> {

    private final Pool pool;

    @Inject
    public TransferRates(Pool pool) {
        this.pool = pool;
    }

    /** The moving average rates of the given hosts (hosts never measured are absent), in one query. */
    @WithSession
    public Uni<Map<String, Double>> ofHosts(Collection<String> hosts) {
        if (hosts.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return list("host in ?1", List.copyOf(hosts)).map(rows -> {
            Map<String, Double> rates = new HashMap<>();
            rows.forEach(row -> rates.put(row.host, row.bytesPerSecond));
            return rates;
        });
    }

    /** Folds a measured transfer into the host's moving average (an upsert, safe between instances). */
    public Uni<Void> record(String host, double bytesPerSecond, Instant now) {
        return pool.preparedQuery("INSERT INTO transfer_rate (host, bytes_per_second, samples, updated_at) "
                        + "VALUES ($1, $2, 1, $3) ON CONFLICT (host) DO UPDATE SET "
                        + "bytes_per_second = $4 * EXCLUDED.bytes_per_second + (1 - $4) * transfer_rate.bytes_per_second, "
                        + "samples = transfer_rate.samples + 1, updated_at = EXCLUDED.updated_at")
                .execute(Tuple.of(host, bytesPerSecond, StagingTasks.utc(now), TransferRate.ALPHA))
                .replaceWithVoid();
    }
}
