package orrery.canfar.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.domain.SessionLog;
import orrery.canfar.store.SessionEntity;
import orrery.canfar.store.SessionEntity.LaunchState;
import orrery.canfar.store.SessionRepository;

/** What people may read about sessions (the REST API decides whose): the sessions and their output. */
@ApplicationScoped
public class SessionQueries {

    private final SessionRepository sessions;
    private final SessionBackend backend;

    @Inject
    public SessionQueries(SessionRepository sessions, SessionBackend backend) {
        this.sessions = sessions;
        this.backend = backend;
    }

    /** {@code owner}'s sessions (of one execution when {@code executionId} is given), newest first. */
    @WithSession
    public Uni<List<SessionEntity>> ownedBy(String owner, String executionId, int limit) {
        return sessions.findByOwner(owner, executionId, limit);
    }

    /** The session {@code id}, or null. */
    @WithSession
    public Uni<SessionEntity> find(String id) {
        return sessions.findById(id);
    }

    /** The session's output from byte {@code offset}; nothing before the platform has the session. */
    public Uni<SessionLog> logs(SessionEntity session, long offset) {
        if (session.launchState != LaunchState.LAUNCHED) {
            return Uni.createFrom().item(new SessionLog.Text(""));
        }
        return backend.logs(SessionRefs.of(session), offset);
    }
}
