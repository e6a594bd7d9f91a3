package orrery.canfar.backend.simulated;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import orrery.canfar.backend.Feasibility;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.backend.SessionRef;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.domain.Observation;
import orrery.canfar.domain.PollBackoff;
import orrery.canfar.domain.SessionLog;
import orrery.canfar.domain.SimulatedSession;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.time.TimeSource;

/**
 * Sessions that run nowhere: each follows the plan {@link SimulatedSession} makes at launch (modelled
 * start-up, runtime and exit status, overridable per launch by its ORRERY_SIM_* variables), read off
 * the {@link TimeSource} whenever the watcher looks. The adapter otherwise works as with any backend
 * (its tables, its messages, its REST API), so the broker cannot tell. The plan is the session's
 * platform id, kept in PostgreSQL; only deletes under way and launches not yet recorded live in
 * memory (a restarted adapter ends an interrupted delete by the kill after {@code stop}).
 */
@ApplicationScoped
@Typed(SimulatedBackend.class)
public class SimulatedBackend implements SessionBackend {

    /** Where simulated notebooks say they can be reached (a reserved top-level domain: nothing answers). */
    static final String CONNECT_BASE = "https://notebook.sim.invalid/session/";

    private final CanfarConfig.Simulated config;
    private final SimulatedSession.Model model;
    private final TimeSource time;
    /** Platform ids by session id, for {@link #find} after a launch whose outcome was lost. */
    private final Map<String, String> launched = new ConcurrentHashMap<>();
    /** When a delete ends each session it was sent for. */
    private final Map<String, Instant> stopped = new ConcurrentHashMap<>();

    @Inject
    public SimulatedBackend(CanfarConfig config, TimeSource time) {
        this.config = config.simulated();
        this.model = new SimulatedSession.Model(this.config.startup(), this.config.runtime(), this.config.exitStatus());
        this.time = time;
        if (this.config.stop().isNegative() || this.config.poll().isNegative() || this.config.poll().isZero()) {
            throw new IllegalArgumentException("orrery.canfar.simulated.stop must be zero or more and .poll more than "
                    + "zero; they are " + this.config.stop() + " and " + this.config.poll());
        }
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public Uni<String> launch(LaunchSpec spec) {
        return Uni.createFrom().item(() -> launched.computeIfAbsent(spec.sessionId(),
                id -> SimulatedSession.plan(model, spec.kind(), spec.env(), time.now()).platformId()));
    }

    @Override
    public Uni<String> find(SessionRef session) {
        return Uni.createFrom().item(launched.get(session.sessionId()));
    }

    @Override
    public Uni<Observation> observe(SessionRef session) {
        return Uni.createFrom().item(() -> {
            Optional<SimulatedSession> plan = plan(session);
            if (plan.isEmpty()) {
                return Observation.gone("the simulated platform has no session " + session.platformId());
            }
            return plan.get().observe(time.now(), stopped.get(session.sessionId()), CONNECT_BASE + session.sessionId());
        });
    }

    @Override
    public Uni<Void> terminate(SessionRef session) {
        stopped.putIfAbsent(session.sessionId(), time.now().plus(config.stop()));
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> kill(SessionRef session) {
        stopped.merge(session.sessionId(), time.now(), (earlier, now) -> earlier.isBefore(now) ? earlier : now);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Duration killGrace() {
        return config.stop();
    }

    @Override
    public Uni<Instant> renew(SessionRef session) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<SessionLog> logs(SessionRef session, long offset) {
        String text = plan(session).map(plan -> plan.log(time.now(), stopped.get(session.sessionId()))).orElse("");
        return Uni.createFrom().item(new SessionLog.Text(offset >= text.length() ? "" : text.substring((int) Math.max(0, offset))));
    }

    @Override
    public Uni<Feasibility> feasibility(CanfarQuoteRequest request) {
        return Uni.createFrom().item(Feasibility.yes());
    }

    @Override
    public PollBackoff backoff() {
        return new PollBackoff(config.poll(), config.poll(), 1.0);
    }

    @Override
    public Duration defaultStartup() {
        return config.startup();
    }

    @Override
    public Optional<Duration> modelledStartup(CanfarQuoteRequest request) {
        return Optional.of(config.startup());
    }

    private static Optional<SimulatedSession> plan(SessionRef session) {
        try {
            return Optional.of(SimulatedSession.parse(session.platformId()));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }
}
