package orrery.canfar.service;

import orrery.canfar.backend.SessionRef;
import orrery.canfar.store.SessionEntity;

/** What a backend needs to find a recorded session again. */
final class SessionRefs {

    private SessionRefs() {
    }

    static SessionRef of(SessionEntity row) {
        return new SessionRef(row.id, row.platformId, row.owner, row.name, row.image, row.createdAt);
    }
}
