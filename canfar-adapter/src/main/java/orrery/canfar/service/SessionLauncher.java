package orrery.canfar.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.TreeSet;
import orrery.canfar.backend.BackendUnavailableException;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.domain.ImageAllowList;
import orrery.canfar.domain.LaunchRules;
import orrery.canfar.domain.SessionIds;
import orrery.canfar.domain.SessionNames;
import orrery.canfar.store.SessionEntity;
import orrery.canfar.store.SessionEntity.LaunchState;
import orrery.canfar.store.SessionRepository;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionStatus;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;
import orrery.support.messaging.Disposition;
import org.jboss.logging.Logger;

/**
 * Carries out {@code tasks.canfar.launch}, once per task id.
 *
 * <p>The session is recorded (LAUNCHING) before the platform is asked, so that a crash in between
 * leaves a trace: the redelivered task, or the watcher after {@code launch-timeout}, looks for the
 * session on the platform and adopts it instead of launching a second one. A launch the rules or
 * the platform refuse is reported FAILED with the reason; one the platform cannot take right now
 * is redelivered later.
 */
@ApplicationScoped
public class SessionLauncher {

    private static final Logger LOG = Logger.getLogger(SessionLauncher.class);
    private static final Duration IN_PROGRESS_RETRY = Duration.ofSeconds(5);

    private final SessionRepository sessions;
    private final SessionBackend backend;
    private final SessionReports reports;
    private final SessionUpdates updates;
    private final SessionWatcher watcher;
    private final LaunchesInFlight inFlight;
    private final TimeSource time;
    private final EnvelopeCodec codec;
    private final LaunchRules rules;
    private final CanfarConfig config;

    @Inject
    public SessionLauncher(SessionRepository sessions, SessionBackend backend, SessionReports reports,
                           SessionUpdates updates, SessionWatcher watcher, LaunchesInFlight inFlight, TimeSource time,
                           EnvelopeCodec codec, CanfarConfig config) {
        this.sessions = sessions;
        this.backend = backend;
        this.reports = reports;
        this.updates = updates;
        this.watcher = watcher;
        this.inFlight = inFlight;
        this.time = time;
        this.codec = codec;
        this.config = config;
        this.rules = new LaunchRules(new ImageAllowList(config.images().allowed()));
    }

    public Uni<Disposition> launch(LaunchTask task, String correlationId) {
        SessionReports.requireReportable(task.taskId());
        return Panache.withSession(() -> sessions.findByTask(task.taskId()))
                .chain(existing -> existing == null ? fresh(task, correlationId) : again(existing, task));
    }

    private Uni<Disposition> fresh(LaunchTask task, String correlationId) {
        try {
            rules.check(task);
        } catch (ProblemException refused) {
            LOG.infof("refusing launch %s: %s", task.taskId(), refused.getMessage());
            return reports.launchFailed(task.taskId(), correlationId, refused.getMessage()).replaceWith(Disposition.done());
        }
        SessionEntity row = newSession(task, correlationId);
        return Failures.inTransaction(() -> sessions.persist(row)).replaceWith(row)
                .chain(saved -> reports.launchRunning(saved.taskId, saved.correlationId).chain(() -> start(saved, task)))
                .onFailure(Failures::isUniqueViolation).recoverWithUni(duplicate ->
                        Panache.withSession(() -> sessions.findByTask(task.taskId()))
                                .chain(existing -> again(existing, task)));
    }

    private Uni<Disposition> again(SessionEntity existing, LaunchTask task) {
        return switch (existing.launchState) {
            case LAUNCHED -> reports.launchCompleted(existing).replaceWith(Disposition.done());
            case REFUSED -> reports.launchFailed(existing.taskId, existing.correlationId, existing.message)
                    .replaceWith(Disposition.done());
            case LAUNCHING -> resumeInterrupted(existing, task);
        };
    }

    /** A launch recorded but not confirmed, and not under way here: adopt its session, or launch it now. */
    private Uni<Disposition> resumeInterrupted(SessionEntity existing, LaunchTask task) {
        if (inFlight.contains(existing.taskId)) {
            return Uni.createFrom().item(Disposition.retryLater(IN_PROGRESS_RETRY, "the launch is in progress"));
        }
        LOG.infof("launch %s was interrupted; looking for its session before launching again", existing.taskId);
        return backend.find(SessionRefs.of(existing))
                .chain(found -> found != null ? launched(existing.id, found) : start(existing, task))
                .onFailure(ProblemException.class).recoverWithUni(refused -> refuse(existing.id, refused.getMessage()))
                .onFailure(BackendUnavailableException.class).recoverWithItem(SessionLauncher::later);
    }

    private Uni<Disposition> start(SessionEntity row, LaunchTask task) {
        if (!inFlight.begin(row.taskId)) {
            return Uni.createFrom().item(Disposition.retryLater(IN_PROGRESS_RETRY, "the launch is in progress"));
        }
        return backend.launch(LaunchSpec.of(row.id, task))
                .eventually(() -> inFlight.end(row.taskId))
                .chain(platformId -> launched(row.id, platformId))
                .onFailure(ProblemException.class).recoverWithUni(refused -> refuse(row.id, refused.getMessage()))
                .onFailure(BackendUnavailableException.class).recoverWithItem(SessionLauncher::later);
    }

    /**
     * For the watcher: a launch that was never confirmed. Adopts the session if the platform made
     * it, else fails the launch (a redelivered task then reports the same failure).
     */
    Uni<Void> settleInterrupted(SessionEntity row) {
        if (inFlight.contains(row.taskId)) {
            return Uni.createFrom().voidItem();
        }
        return backend.find(SessionRefs.of(row))
                .chain(found -> found != null ? launched(row.id, found)
                        : refuse(row.id, "the launch was interrupted and the platform has no session for it; "
                                + "send a new launch task"))
                .onFailure(ProblemException.class).recoverWithUni(refused -> refuse(row.id, refused.getMessage()))
                .replaceWithVoid();
    }

    /** Records that the platform has the session, reports COMPLETED and has the watcher look at it. */
    Uni<Disposition> launched(String id, String platformId) {
        return updates.update(id, row -> {
            row.platformId = platformId;
            row.launchState = LaunchState.LAUNCHED;
            row.launchedAt = time.now();
            row.nextPollAt = time.now();
            row.pollIntervalMs = null;
        })
                .chain(reports::launchCompleted)
                .invoke(watcher::nudge)
                .replaceWith(Disposition.done());
    }

    /** Records a refusal for good (status Failed) and reports FAILED with the reason. */
    Uni<Disposition> refuse(String id, String reason) {
        LOG.infof("session %s refused: %s", id, reason);
        return updates.update(id, row -> {
            row.launchState = LaunchState.REFUSED;
            row.status = SessionStatus.Failed;
            row.message = reason;
            row.endedAt = time.now();
            row.nextPollAt = time.now();
        })
                .chain(row -> reports.launchFailed(row.taskId, row.correlationId, reason))
                .invoke(watcher::nudge)
                .replaceWith(Disposition.done());
    }

    /** The session row a fresh launch records (LAUNCHING) before the platform is asked. */
    private SessionEntity newSession(LaunchTask task, String correlationId) {
        SessionEntity row = new SessionEntity();
        row.id = SessionIds.next();
        row.taskId = task.taskId();
        row.executionId = task.executionId();
        row.correlationId = correlationId;
        row.owner = task.user();
        copyRequest(task, row);
        row.backend = backend.name();
        row.launchState = LaunchState.LAUNCHING;
        row.status = SessionStatus.Pending;
        row.createdAt = time.now();
        // If this launch is never confirmed, the watcher looks into it then.
        row.nextPollAt = row.createdAt.plus(config.watch().launchTimeout());
        return row;
    }

    /** What the launch asked for; of its environment only the names, since values may be secrets. */
    private void copyRequest(LaunchTask task, SessionEntity row) {
        // The name the platform knows the session by (adoption after a crash looks for it).
        row.name = SessionNames.safe(task.name());
        row.image = task.image();
        row.kind = task.kind();
        row.cores = task.cores();
        row.ramGb = task.ram();
        row.cmd = task.cmd();
        try {
            row.argsJson = codec.mapper().writeValueAsString(task.args());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write arguments as JSON", e);
        }
        row.envNames = String.join(",", new TreeSet<>(task.env().keySet()));
        row.workdir = task.workdir();
        row.until = task.until();
    }

    private static Disposition later(Throwable unavailable) {
        LOG.warnf("the platform cannot launch now, will retry: %s", unavailable.getMessage());
        return Disposition.retryLater(((BackendUnavailableException) unavailable).retryAfter(), unavailable.getMessage());
    }
}
