package orrery.broker.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.stream.Collectors;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.PoolPrice;

/** The price table of {@code orrery.broker.prices}, read once: a pool's own entry, else {@code default}, else unpriced. */
@ApplicationScoped
public class Prices {

    static final String DEFAULT = "default";

    private final Map<String, PoolPrice> byPool;

    public Prices(BrokerConfig config) {
        this.byPool = config.prices().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                entry -> new PoolPrice(entry.getValue().coreHour(), entry.getValue().currency(),
                        entry.getValue().gramsCo2PerCoreHour())));
    }

    public PoolPrice of(String pool) {
        PoolPrice own = byPool.get(pool);
        return own != null ? own : byPool.getOrDefault(DEFAULT, PoolPrice.UNPRICED);
    }
}
