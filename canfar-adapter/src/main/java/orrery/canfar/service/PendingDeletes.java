package orrery.canfar.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.store.SessionEntity;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * The watcher's step that carries out a recorded delete: asks the platform to end the session
 * (SIGTERM, DELETE), and kills what is left once the backend's grace period is over. Both moments
 * are recorded, so a restarted adapter neither repeats the first nor forgets the second.
 */
@ApplicationScoped
public class PendingDeletes {

    private static final Logger LOG = Logger.getLogger(PendingDeletes.class);

    private final SessionBackend backend;
    private final SessionUpdates updates;
    private final TimeSource time;

    @Inject
    public PendingDeletes(SessionBackend backend, SessionUpdates updates, TimeSource time) {
        this.backend = backend;
        this.updates = updates;
        this.time = time;
    }

    /** Sends a pending delete, or the kill once its grace period is over. */
    Uni<Void> act(SessionEntity session) {
        Instant now = time.now();
        if (session.status.isFinal()) {
            return Uni.createFrom().voidItem();
        }
        if (session.deleteRequested() && session.terminateSentAt == null) {
            return terminate(session, now);
        }
        if (session.killAt != null && !session.killAt.isAfter(now)) {
            return kill(session);
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> terminate(SessionEntity session, Instant now) {
        LOG.infof("ending session %s", session.id);
        Duration grace = backend.killGrace();
        return backend.terminate(SessionRefs.of(session)).chain(() -> updates.update(session.id, row -> {
            row.terminateSentAt = now;
            row.killAt = grace == null ? null : now.plus(grace);
        })).replaceWithVoid();
    }

    private Uni<Void> kill(SessionEntity session) {
        LOG.infof("session %s outlived its grace period; killing it", session.id);
        return backend.kill(SessionRefs.of(session)).chain(() -> updates.update(session.id, row -> row.killAt = null))
                .replaceWithVoid();
    }
}
