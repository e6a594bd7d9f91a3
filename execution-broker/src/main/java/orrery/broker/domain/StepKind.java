package orrery.broker.domain;

import java.util.Locale;
import orrery.model.messaging.NatsUsers;

/** What a step of an execution does, and which service carries it out. */
public enum StepKind {
    /** Create the session folder (staging service). */
    FOLDER(NatsUsers.STAGING_SERVICE),
    /** Stage one item into the folder (staging service). */
    STAGE(NatsUsers.STAGING_SERVICE),
    /** Launch the session (canfar adapter). */
    LAUNCH(NatsUsers.CANFAR_ADAPTER),
    /** End the session (canfar adapter). */
    DELETE(NatsUsers.CANFAR_ADAPTER);

    private final String service;

    StepKind(String service) {
        this.service = service;
    }

    /** The NATS user (and envelope source) of the service that carries out steps of this kind. */
    public String service() {
        return service;
    }

    /** The kind as the API and task ids spell it: {@code folder}, {@code stage}, {@code launch}, {@code delete}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
