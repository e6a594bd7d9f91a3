package orrery.fswatch.service;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import orrery.fswatch.backend.HashPool;
import orrery.fswatch.backend.WatchRegistrar;
import orrery.fswatch.config.FsWatchConfig;
import orrery.fswatch.config.WatcherSettings;

/** The shared parts every root watcher uses. */
public class WatcherBeans {

    @Produces
    @Singleton
    HashPool hashPool(FsWatchConfig config) {
        return new HashPool(config.hashThreads().orElse(Runtime.getRuntime().availableProcessors()));
    }

    void closeHashPool(@Disposes HashPool pool) {
        pool.close();
    }

    @Produces
    @Singleton
    @DefaultBean
    WatchRegistrar registrar() {
        return WatchRegistrar.JDK;
    }

    @Produces
    @Singleton
    WatcherSettings settings(FsWatchConfig config) {
        return new WatcherSettings(config.queueCapacity(), config.log().interval(), config.log().maxBytes(),
                config.log().maxLines(), config.retryDelay());
    }
}
