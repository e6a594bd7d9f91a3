package orrery.fswatch.service;

import io.nats.client.Connection;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import orrery.fswatch.backend.HashPool;
import orrery.fswatch.backend.WatchRegistrar;
import orrery.fswatch.config.FsWatchConfig;
import orrery.fswatch.config.WatcherSettings;
import orrery.fswatch.domain.ChangeSink;
import orrery.fswatch.domain.RootPolicy;
import orrery.fswatch.domain.RootSpec;
import orrery.fswatch.store.KvBuckets;
import orrery.fswatch.store.KvIndexStore;
import orrery.fswatch.store.RuntimeRootStore;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * The roots being watched: those configured ({@code orrery.fswatch.roots.*}) and those added at
 * run time through the API, which are kept in the {@code fswatch-roots} bucket and watched
 * again after a restart.
 */
@ApplicationScoped
public class RootRegistry {

    private static final Logger LOG = Logger.getLogger(RootRegistry.class);

    private final FsWatchConfig config;
    private final RootPolicy policy;
    private final TimeSource time;
    private final KvBuckets buckets;
    private final RuntimeRootStore runtimeRoots;
    private final ChangeSink sink;
    private final HashPool hashes;
    private final WatchRegistrar registrar;
    private final WatcherSettings settings;
    private final EnvelopeCodec codec;
    private final Connection connection;
    private final Map<String, RootWatcher> roots = new ConcurrentHashMap<>();

    @Inject
    public RootRegistry(FsWatchConfig config, TimeSource time, KvBuckets buckets, RuntimeRootStore runtimeRoots,
                        ChangeSink sink, HashPool hashes, WatchRegistrar registrar, WatcherSettings settings,
                        EnvelopeCodec codec, Connection connection) {
        this.config = config;
        this.policy = new RootPolicy(config.allowedBases().orElse(List.of()));
        this.time = time;
        this.buckets = buckets;
        this.runtimeRoots = runtimeRoots;
        this.sink = sink;
        this.hashes = hashes;
        this.registrar = registrar;
        this.settings = settings;
        this.codec = codec;
        this.connection = connection;
    }

    void onStart(@Observes StartupEvent start) {
        config.roots().forEach((name, root) -> {
            try {
                watch(check(name, root.path().toString(), root.include().orElse(List.of()), root.exclude().orElse(List.of()),
                        root.logs().orElse(List.of()), root.quietPeriod().orElse(null),
                        root.maxLatency().orElse(null)));
            } catch (ProblemException e) {
                LOG.errorf("configured root %s is not watched: %s", name, e.getMessage());
            }
        });
        restoreRuntimeRootsLater(Duration.ZERO);
    }

    void onStop(@Observes ShutdownEvent stop) {
        roots.values().forEach(RootWatcher::close);
        roots.clear();
    }

    public RootPolicy policy() {
        return policy;
    }

    /** Checks a root against the allow-list and rules; null durations take the configured defaults. */
    public RootSpec check(String name, String path, List<String> include, List<String> exclude, List<String> logs,
                          Duration quietPeriod, Duration maxLatency) {
        return policy.check(name, path, include, exclude, logs,
                quietPeriod == null ? config.quietPeriod() : quietPeriod,
                maxLatency == null ? config.maxLatency() : maxLatency);
    }

    public List<RootWatcher> all() {
        List<RootWatcher> all = new ArrayList<>(roots.values());
        all.sort(Comparator.comparing(root -> root.spec().name()));
        return all;
    }

    /** The root called {@code name}, or a 404 problem. */
    public RootWatcher get(String name) {
        RootPolicy.checkName(name);
        RootWatcher root = roots.get(name);
        if (root == null) {
            throw new ProblemException(Problem.of("unknown-root", 404, "No such root",
                    "no root is called '" + name + "'; GET /api/v1/roots lists them"));
        }
        return root;
    }

    /** Adds or replaces a root at run time and remembers it across restarts; true if it is new. */
    public boolean put(RootSpec spec) {
        runtimeRoots.save(spec);
        return watch(spec);
    }

    /** Stops watching {@code name}; {@code purgeIndex} also drops what it knew of its files. */
    public void remove(String name, boolean purgeIndex) {
        RootWatcher root = get(name);
        roots.remove(name, root);
        root.close();
        runtimeRoots.remove(name);
        if (purgeIndex) {
            buckets.deleteIndex(name);
        }
    }

    private boolean watch(RootSpec spec) {
        RootWatcher watcher = new RootWatcher(spec, time,
                new KvIndexStore(connection, () -> buckets.index(spec.name()), codec.mapper()), sink, hashes, registrar, settings);
        RootWatcher previous = roots.put(spec.name(), watcher);
        if (previous != null) {
            previous.close();
        }
        watcher.start();
        return previous == null;
    }

    // Reading the bucket blocks while NATS is away, so it runs off the start-up and timer threads.
    private void restoreRuntimeRootsLater(Duration delay) {
        time.scheduleAfter(delay, () -> CompletableFuture.runAsync(this::restoreRuntimeRoots));
    }

    private void restoreRuntimeRoots() {
        List<RuntimeRootStore.Value> stored;
        try {
            stored = runtimeRoots.all();
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the roots added at run time yet (will retry): %s", e.toString());
            restoreRuntimeRootsLater(settings.retryDelay());
            return;
        }
        for (RuntimeRootStore.Value root : stored) {
            try {
                watch(check(root.name(), root.path(), root.include(), root.exclude(), root.logs(), root.quietPeriod(),
                        root.maxLatency()));
            } catch (ProblemException e) {
                LOG.errorf("stored root %s is not watched any more: %s", root.name(), e.getMessage());
            }
        }
    }
}
