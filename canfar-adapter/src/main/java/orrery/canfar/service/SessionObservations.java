package orrery.canfar.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.domain.Observation;
import orrery.canfar.domain.StatusRules;
import orrery.canfar.store.SessionEntity;
import orrery.canfar.store.SessionRepository;
import orrery.model.canfar.SessionStatus;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * The watcher's step that looks at a session on its platform: records what changed (the status by
 * {@link StatusRules}, times, exit status, expiry), feeds the first Running into the start-up
 * estimate, sets the next look by the backend's back-off (or the kill, if that comes first), and
 * renews a platform session whose booking runs past its expiry.
 */
@ApplicationScoped
public class SessionObservations {

    private static final Logger LOG = Logger.getLogger(SessionObservations.class);

    private final SessionRepository sessions;
    private final SessionBackend backend;
    private final SessionUpdates updates;
    private final StartupEstimates estimates;
    private final TimeSource time;
    private final CanfarConfig config;

    @Inject
    public SessionObservations(SessionRepository sessions, SessionBackend backend, SessionUpdates updates,
                               StartupEstimates estimates, TimeSource time, CanfarConfig config) {
        this.sessions = sessions;
        this.backend = backend;
        this.updates = updates;
        this.estimates = estimates;
        this.time = time;
        this.config = config;
    }

    /**
     * Looks at the session on its platform and records what changed; returns the row as recorded,
     * or null when there was nothing to look at (an ended session, or its row gone).
     */
    Uni<SessionEntity> look(SessionEntity before) {
        if (before.status.isFinal()) {
            return Uni.createFrom().nullItem();
        }
        return backend.observe(SessionRefs.of(before))
                .chain(seen -> Failures.inTransaction(() -> sessions.findById(before.id)
                        .chain(row -> row == null ? Uni.createFrom().<SessionEntity>nullItem() : record(row, seen))))
                .call(this::renewIfDue);
    }

    private Uni<SessionEntity> record(SessionEntity row, Observation seen) {
        Instant now = time.now();
        SessionStatus next = StatusRules.next(row.status, row.deleteRequested(), seen);
        boolean changed = next != row.status;
        row.status = next;
        copySeen(row, seen, next);
        if (changed) {
            row.message = message(next, row.deleteRequested(), seen);
        }
        Uni<Void> estimate = next == SessionStatus.Running && row.runningAt == null ? started(row, now)
                : Uni.createFrom().voidItem();
        if (next.isFinal()) {
            row.endedAt = row.endedAt == null ? now : row.endedAt;
            row.killAt = null;
        }
        scheduleNextLook(row, changed, seen.nextChange(), now);
        return estimate.replaceWith(row);
    }

    private static void copySeen(SessionEntity row, Observation seen, SessionStatus next) {
        if (seen.startTime() != null) {
            row.startTime = seen.startTime();
        }
        if (seen.connectUrl() != null) {
            row.connectUrl = seen.connectUrl();
        }
        if (seen.exitStatus() != null && next.isFinal()) {
            row.exitStatus = seen.exitStatus();
        }
        if (seen.expiry() != null) {
            row.expiryTime = seen.expiry();
        }
    }

    /** The session runs for the first time: notes when, and how long it took to start. */
    private Uni<Void> started(SessionEntity row, Instant now) {
        row.runningAt = now;
        // The platform's start time when it is plausible (clocks differ), else when we saw it running.
        Instant running = row.startTime != null && !row.startTime.isBefore(row.createdAt)
                && row.startTime.isBefore(now) ? row.startTime : now;
        Duration startup = Duration.between(row.createdAt, running);
        return estimates.observe(row.backend, row.image, startup, config.quote().window(), now);
    }

    /**
     * The next look: at once after an end (to report it), else after the back-off, at the kill or when the
     * platform said the session changes next ({@link Observation#nextChange()}), whichever is first.
     */
    private void scheduleNextLook(SessionEntity row, boolean changed, Instant nextChange, Instant now) {
        Duration interval = backend.backoff().next(row.pollIntervalMs == null ? null : Duration.ofMillis(row.pollIntervalMs),
                changed);
        row.pollIntervalMs = interval.toMillis();
        Instant foretold = nextChange == null || nextChange.isAfter(now) ? nextChange : now;
        row.nextPollAt = row.status.isFinal() ? now : earliest(earliest(now.plus(interval), row.killAt), foretold);
    }

    private static String message(SessionStatus next, boolean deleted, Observation seen) {
        if (!next.isFinal()) {
            // Held at Running on the way to an end: the end's message comes with the end.
            return seen.status() != null && seen.status().isFinal() ? null : seen.message();
        }
        if (next == SessionStatus.Terminated && deleted) {
            return seen.message() == null ? "deleted" : "deleted: " + seen.message();
        }
        return seen.message();
    }

    /** Keeps a platform session alive while its booking runs past the platform's expiry. */
    private Uni<Void> renewIfDue(SessionEntity row) {
        if (row == null || !renewalDue(row, time.now())) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("renewing session %s (expires %s, booked until %s)", row.id, row.expiryTime, row.until);
        return backend.renew(SessionRefs.of(row))
                .chain(expiry -> expiry == null ? Uni.createFrom().voidItem()
                        : updates.update(row.id, fresh -> fresh.expiryTime = expiry).replaceWithVoid())
                .onFailure().invoke(failure -> LOG.warnf("could not renew session %s: %s", row.id, failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    private boolean renewalDue(SessionEntity row, Instant now) {
        return row.status == SessionStatus.Running && !row.deleteRequested() && row.expiryTime != null
                && !row.expiryTime.minus(config.skaha().renewMargin()).isAfter(now)
                && (row.until == null || row.expiryTime.isBefore(row.until));
    }

    private static Instant earliest(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }
}
