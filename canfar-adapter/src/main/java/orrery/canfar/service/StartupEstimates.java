package orrery.canfar.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import orrery.canfar.domain.StartupEstimate;
import orrery.canfar.store.StartupEstimateEntity;

/** Observed start-up times per backend and image, kept as a moving average in PostgreSQL ({@link StartupEstimate}). */
@ApplicationScoped
public class StartupEstimates {

    /** The expected start-up of {@code image}, or {@code fallback} before any was observed. */
    @WithSession
    public Uni<Duration> expected(String backend, String image, Duration fallback) {
        return StartupEstimateEntity.findFor(backend, image)
                .map(found -> found == null ? fallback : Duration.ofMillis(found.meanMs));
    }

    /** Folds one observed start-up into the average; runs in the caller's transaction. */
    Uni<Void> observe(String backend, String image, Duration sample, int window, Instant now) {
        return StartupEstimateEntity.findFor(backend, image).chain(found -> {
            if (found == null) {
                return first(backend, image, StartupEstimate.none(Duration.ZERO).observe(sample, window), now);
            }
            StartupEstimate next = new StartupEstimate(Duration.ofMillis(found.meanMs), found.samples).observe(sample, window);
            record(found, next, now);
            return Uni.createFrom().voidItem();
        });
    }

    private static Uni<Void> first(String backend, String image, StartupEstimate estimate, Instant now) {
        StartupEstimateEntity fresh = new StartupEstimateEntity();
        fresh.backend = backend;
        fresh.image = image;
        record(fresh, estimate, now);
        return fresh.persist().replaceWithVoid();
    }

    private static void record(StartupEstimateEntity row, StartupEstimate estimate, Instant now) {
        row.meanMs = estimate.mean().toMillis();
        row.samples = estimate.samples();
        row.updatedAt = now;
    }
}
