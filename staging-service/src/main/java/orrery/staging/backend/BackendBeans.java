package orrery.staging.backend;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import orrery.staging.backend.source.DataLinkSourceFetcher;
import orrery.staging.backend.source.FileSourceFetcher;
import orrery.staging.backend.source.HttpSourceFetcher;
import orrery.staging.backend.source.SourceFetcher;
import orrery.staging.backend.source.SourceFetchers;
import orrery.staging.backend.storage.LocalStagingStore;
import orrery.staging.backend.storage.SimulatedStagingStore;
import orrery.staging.backend.storage.StagingStore;
import orrery.staging.backend.vospace.VospaceClient;
import orrery.staging.backend.vospace.VospaceSourceFetcher;
import orrery.staging.backend.vospace.VospaceStagingStore;
import orrery.staging.config.StagingConfig;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.SourcePolicy;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the adapters to what lies outside from the configuration: the store of session folders, the sources, DNS. */
public class BackendBeans {

    /** The one resolver of source host names: quotes and transfers look a name up through it, once per connection. */
    @Produces
    @Singleton
    HostResolver hostResolver() {
        return HostResolver.SYSTEM;
    }

    @Produces
    @Singleton
    StagingStore store(StagingConfig config, @ConfigProperty(name = "orrery.storage.root") Path root) {
        return switch (config.backend()) {
            case VOSPACE -> new VospaceStagingStore(client(config.vospace(), config.vospace().authority(),
                    config.vospace().baseUrl()));
            case LOCAL -> local(root);
            case SIMULATED -> new SimulatedStagingStore();
        };
    }

    @Produces
    @Singleton
    SourceFetchers fetchers(StagingConfig config, SourcePolicy policy, HostResolver resolver) {
        Map<SourcePolicy.Scheme, SourceFetcher> fetchers = new EnumMap<>(SourcePolicy.Scheme.class);
        HttpSourceFetcher http = new HttpSourceFetcher(policy, resolver, config.sources().http().connectTimeout(),
                config.stallTimeout());
        fetchers.put(SourcePolicy.Scheme.HTTP, http);
        fetchers.put(SourcePolicy.Scheme.DATALINK, new DataLinkSourceFetcher(http, policy));
        fetchers.put(SourcePolicy.Scheme.FILE, new FileSourceFetcher());
        Map<String, VospaceClient> services = new HashMap<>();
        config.vospace().services().forEach((authority, url) -> services.put(authority,
                client(config.vospace(), authority, url)));
        fetchers.put(SourcePolicy.Scheme.VOS, new VospaceSourceFetcher(services));
        return new SourceFetchers(fetchers);
    }

    private static VospaceClient client(StagingConfig.Vospace vospace, String authority, String url) {
        return new VospaceClient(URI.create(url), authority, vospace.token().orElse(null), vospace.timeout());
    }

    private static StagingStore local(Path root) {
        try {
            return new LocalStagingStore(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use storage root " + root, e);
        }
    }
}
