package orrery.staging.config;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import orrery.model.time.TimeSource;
import orrery.staging.domain.AddressPolicy;
import orrery.staging.domain.Backoff;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.QuoteCalculator;
import orrery.staging.domain.QuotePolicy;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.source.FileSourceFetcher;
import orrery.staging.source.HttpSourceFetcher;
import orrery.staging.source.SourceFetcher;
import orrery.staging.source.VospaceSourceFetcher;
import orrery.staging.storage.LocalStagingStore;
import orrery.staging.storage.StagingStore;
import orrery.staging.storage.vospace.VospaceClient;
import orrery.staging.storage.vospace.VospaceStagingStore;
import orrery.staging.transfer.TransferEngine;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the plain-Java parts of the service from its configuration. */
public class StagingBeans {

    @Produces
    @Singleton
    SourcePolicy sourcePolicy(StagingConfig config) {
        StagingConfig.Sources sources = config.sources();
        List<Path> roots = sources.file().roots().orElse(List.of()).stream().filter(r -> !r.isBlank()).map(Path::of).toList();
        StagingConfig.Sources.Http http = sources.http();
        return new SourcePolicy(new HashSet<>(http.allowedHosts()),
                new AddressPolicy(http.allowLoopback(), http.allowPrivateAddresses(), http.allowLinkLocal()), roots,
                new HashSet<>(config.vospace().services().keySet()));
    }

    /** The one resolver of source host names: quotes and transfers look a name up through it, once per connection. */
    @Produces
    @Singleton
    HostResolver hostResolver() {
        return HostResolver.SYSTEM;
    }

    @Produces
    @Singleton
    StagingStore store(StagingConfig config, @ConfigProperty(name = "orrery.storage.root") String root) {
        if ("vospace".equals(config.backend())) {
            StagingConfig.Vospace vospace = config.vospace();
            return new VospaceStagingStore(new VospaceClient(URI.create(vospace.baseUrl()), vospace.authority(),
                    vospace.token().orElse(null), vospace.timeout()));
        }
        if (!"local".equals(config.backend())) {
            throw new IllegalStateException("unknown staging backend '" + config.backend() + "'; use local or vospace");
        }
        try {
            return new LocalStagingStore(Path.of(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use storage root " + root, e);
        }
    }

    @Produces
    @Singleton
    TransferEngine engine(StagingConfig config, StagingStore store, SourcePolicy policy, HostResolver resolver,
                          TimeSource time) {
        Map<SourcePolicy.Scheme, SourceFetcher> fetchers = new EnumMap<>(SourcePolicy.Scheme.class);
        fetchers.put(SourcePolicy.Scheme.HTTP, new HttpSourceFetcher(policy, resolver, config.sources().http().connectTimeout(),
                config.stallTimeout()));
        fetchers.put(SourcePolicy.Scheme.FILE, new FileSourceFetcher());
        StagingConfig.Vospace vospace = config.vospace();
        Map<String, VospaceClient> services = new java.util.HashMap<>();
        vospace.services().forEach((authority, url) -> services.put(authority,
                new VospaceClient(URI.create(url), authority, vospace.token().orElse(null), vospace.timeout())));
        fetchers.put(SourcePolicy.Scheme.VOS, new VospaceSourceFetcher(services));
        Backoff backoff = new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff(), config.retry().maxAttempts());
        return new TransferEngine(store, fetchers, time, backoff, config.maxConcurrentTransfers(),
                config.progressInterval(), config.stallTimeout());
    }

    void closeEngine(@Disposes TransferEngine engine) {
        engine.close();
    }

    @Produces
    @Singleton
    QuoteCalculator quoteCalculator(StagingConfig config) {
        StagingConfig.Quote quote = config.quote();
        return new QuoteCalculator(new QuotePolicy(quote.presentCost(), quote.unknownSizeCost(), quote.defaultBytesPerSecond(),
                quote.overhead(), config.maxConcurrentTransfers()));
    }
}
