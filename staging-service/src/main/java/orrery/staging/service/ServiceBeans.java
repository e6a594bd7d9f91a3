package orrery.staging.service;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import orrery.model.time.TimeSource;
import orrery.staging.backend.source.SourceFetchers;
import orrery.staging.backend.storage.StagingStore;
import orrery.staging.config.StagingConfig;
import orrery.staging.domain.AddressPolicy;
import orrery.staging.domain.Backoff;
import orrery.staging.domain.QuoteCalculator;
import orrery.staging.domain.QuotePolicy;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.TransferModel;
import orrery.staging.service.transfer.TransferEngine;

/** Wires the plain-Java parts of the service from its configuration: the URL policy, quotes, the transfer engine. */
public class ServiceBeans {

    @Produces
    @Singleton
    SourcePolicy sourcePolicy(StagingConfig config) {
        StagingConfig.Sources sources = config.sources();
        List<Path> roots = sources.file().roots().orElse(List.of()).stream()
                .filter(root -> !root.toString().isBlank()).toList();
        StagingConfig.Sources.Http http = sources.http();
        return new SourcePolicy(new HashSet<>(http.allowedHosts()),
                new AddressPolicy(http.allowLoopback(), http.allowPrivateAddresses(), http.allowLinkLocal()), roots,
                new HashSet<>(config.vospace().services().keySet()));
    }

    @Produces
    @Singleton
    TransferEngine engine(StagingConfig config, StagingStore store, SourceFetchers fetchers, TimeSource time) {
        StagingConfig.Retry retry = config.retry();
        Backoff backoff = new Backoff(retry.initialBackoff(), retry.maxBackoff(), retry.maxAttempts());
        return new TransferEngine(store, fetchers.byScheme(), time, backoff, config.maxConcurrentTransfers(),
                config.progressInterval(), config.stallTimeout(), simulation(config));
    }

    /** The simulated backend's model of transfers, or null when transfers are real. */
    static TransferModel simulation(StagingConfig config) {
        return config.backend() == StagingConfig.Backend.SIMULATED
                ? new TransferModel(config.simulated().rate(), config.simulated().defaultSize()) : null;
    }

    void closeEngine(@Disposes TransferEngine engine) {
        engine.close();
    }

    @Produces
    @Singleton
    QuoteCalculator quoteCalculator(StagingConfig config) {
        StagingConfig.Quote quote = config.quote();
        return new QuoteCalculator(new QuotePolicy(quote.presentCost(), quote.unknownSizeCost(),
                quote.defaultBytesPerSecond(), quote.overhead(), config.maxConcurrentTransfers()), simulation(config));
    }
}
