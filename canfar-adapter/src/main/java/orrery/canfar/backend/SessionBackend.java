package orrery.canfar.backend;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import orrery.canfar.domain.Observation;
import orrery.canfar.domain.PollBackoff;
import orrery.canfar.domain.SessionLog;
import orrery.model.canfar.CanfarQuoteRequest;

/**
 * A place sessions run: local processes or CANFAR's skaha. Every operation may fail with a
 * {@link orrery.model.problem.ProblemException} (refused for good, the reason says why) or a
 * {@link BackendUnavailableException} (try again later); calls are idempotent so that a retry after
 * a crash is safe.
 */
public interface SessionBackend {

    /** {@code local}, {@code skaha} or {@code simulated}, as recorded with each session. */
    String name();

    /** Starts the session and returns the platform's id for it. */
    Uni<String> launch(LaunchSpec spec);

    /** After a launch whose outcome was lost: the platform id of the session it made, or null. */
    Uni<String> find(SessionRef session);

    /** Looks at the session now. */
    Uni<Observation> observe(SessionRef session);

    /** Asks the session to end (SIGTERM, DELETE). A session that is already gone is fine. */
    Uni<Void> terminate(SessionRef session);

    /** Ends what is left of the session at once, after the grace period of {@link #killGrace()}. */
    Uni<Void> kill(SessionRef session);

    /** How long a terminated session may take to end before {@link #kill}; null when the platform does it. */
    Duration killGrace();

    /** Extends the session's expiry; returns the new expiry, or null if the platform has none. */
    Uni<Instant> renew(SessionRef session);

    /** The session's output so far. */
    Uni<SessionLog> logs(SessionRef session, long offset);

    /** Whether the platform can run a session of this image, kind and size at all. */
    Uni<Feasibility> feasibility(CanfarQuoteRequest request);

    /** How often to look at a session. */
    PollBackoff backoff();

    /** Expected start-up time before any was observed. */
    Duration defaultStartup();

    /**
     * The start-up a quote answers when the backend knows it beforehand (a model), instead of the
     * moving average of observed start-ups; empty for a real platform.
     */
    default Optional<Duration> modelledStartup(CanfarQuoteRequest request) {
        return Optional.empty();
    }

    /**
     * Registers who to tell when the backend learns by itself that a session changed (a local
     * process ended), so that it is looked at without waiting for the next poll.
     */
    default void onChange(Consumer<String> sessionId) {
    }
}
