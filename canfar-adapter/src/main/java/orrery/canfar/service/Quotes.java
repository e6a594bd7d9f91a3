package orrery.canfar.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import orrery.canfar.backend.BackendUnavailableException;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.domain.ImageAllowList;
import orrery.canfar.domain.LaunchRules;
import orrery.canfar.domain.MountRules;
import orrery.model.canfar.CanfarQuote;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * Answers {@code quote.canfar}: the expected start-up of a session of this image (the backend's
 * model when it has one, else the moving average of observed start-ups, or the backend's default
 * before any), and whether the platform can take the image and size at all.
 */
@ApplicationScoped
public class Quotes {

    private final SessionBackend backend;
    private final StartupEstimates estimates;
    private final ImageAllowList images;

    @Inject
    public Quotes(SessionBackend backend, StartupEstimates estimates, CanfarConfig config) {
        this.backend = backend;
        this.estimates = estimates;
        this.images = new ImageAllowList(config.images().allowed());
    }

    public Uni<CanfarQuote> quote(CanfarQuoteRequest request) {
        LaunchRules.checkSize(request.cores(), request.ram());
        Uni<Duration> expected = backend.modelledStartup(request).map(modelled -> Uni.createFrom().item(modelled))
                .orElseGet(() -> estimates.expected(backend.name(), request.image(), backend.defaultStartup()));
        return expected.chain(startup -> {
            try {
                images.check(request.image());
                MountRules.check(request.kind(), request.mounts());
            } catch (ProblemException refused) {
                return Uni.createFrom().item(new CanfarQuote(startup, false, refused.getMessage()));
            }
            return backend.feasibility(request)
                    .map(feasibility -> new CanfarQuote(startup, feasibility.feasible(), feasibility.reason()))
                    .onFailure(BackendUnavailableException.class).transform(unavailable -> new ProblemException(
                            Problem.of("backend-unavailable", 503, "The session platform cannot be asked right now",
                                    unavailable.getMessage())));
        });
    }
}
