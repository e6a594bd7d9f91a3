package orrery.model.messaging;

import java.util.Objects;

/**
 * A durable pull consumer a service keeps on a stream: its name and the one subject it filters
 * on. Services declare these in their {@code application.properties}
 * ({@code quarkus.messaging.nats.streams.<stream>.pull-consumers.<name>...}); {@link NatsUsers}
 * lists them so that each service's NATS user may create and read its own consumers and no
 * other's.
 */
public record ConsumerSpec(String stream, String name, String filterSubject) {

    public ConsumerSpec {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(filterSubject, "filterSubject");
        if (!Subjects.isToken(name)) {
            throw new IllegalArgumentException("consumer name '" + name + "' must be one subject token");
        }
    }
}
