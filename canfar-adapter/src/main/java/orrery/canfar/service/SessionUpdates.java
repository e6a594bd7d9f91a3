package orrery.canfar.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Consumer;
import orrery.canfar.store.SessionEntity;
import orrery.canfar.store.SessionRepository;

/** Changes to one session row, each in a transaction of its own that is retried from a fresh read when it lost a race. */
@ApplicationScoped
public class SessionUpdates {

    private final SessionRepository sessions;

    @Inject
    public SessionUpdates(SessionRepository sessions) {
        this.sessions = sessions;
    }

    /** Applies {@code change} to the session {@code id} (when it exists) and returns the row, or null. */
    Uni<SessionEntity> update(String id, Consumer<SessionEntity> change) {
        return Failures.inTransaction(() -> sessions.findById(id).invoke(row -> {
            if (row != null) {
                change.accept(row);
            }
        }));
    }
}
