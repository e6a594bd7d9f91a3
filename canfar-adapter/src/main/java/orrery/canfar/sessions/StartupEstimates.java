package orrery.canfar.sessions;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import orrery.canfar.domain.StartupEstimate;
import orrery.canfar.store.StartupEstimateEntity;

/** Observed start-up times per backend and image, kept as a moving average in PostgreSQL. */
@ApplicationScoped
public class StartupEstimates {

    /** The expected start-up of {@code image}, or {@code fallback} before any was observed. */
    public Uni<Duration> expected(String backend, String image, Duration fallback) {
        return Panache.withSession(() -> StartupEstimateEntity.<StartupEstimateEntity>findById(
                        new StartupEstimateEntity.Key(backend, image)))
                .map(found -> found == null ? fallback : Duration.ofMillis(found.meanMs));
    }

    /** Folds one observed start-up into the average; runs in the caller's transaction. */
    Uni<Void> observe(String backend, String image, Duration sample, int window, Instant now) {
        return StartupEstimateEntity.<StartupEstimateEntity>findById(new StartupEstimateEntity.Key(backend, image))
                .chain(found -> {
                    if (found == null) {
                        StartupEstimateEntity fresh = new StartupEstimateEntity();
                        fresh.backend = backend;
                        fresh.image = image;
                        StartupEstimate first = StartupEstimate.none(Duration.ZERO).observe(sample, window);
                        fresh.meanMs = first.mean().toMillis();
                        fresh.samples = first.samples();
                        fresh.updatedAt = now;
                        return fresh.persist().replaceWithVoid();
                    }
                    StartupEstimate next = new StartupEstimate(Duration.ofMillis(found.meanMs), found.samples)
                            .observe(sample, window);
                    found.meanMs = next.mean().toMillis();
                    found.samples = next.samples();
                    found.updatedAt = now;
                    return Uni.createFrom().voidItem();
                });
    }
}
