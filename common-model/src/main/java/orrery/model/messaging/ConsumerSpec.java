package orrery.model.messaging;

import java.util.Objects;

/**
 * A durable pull consumer a service keeps on a stream: its name and the one subject it filters
 * on. {@link NatsUsers} lists them, so that each service's NATS user may create and read its own
 * consumers and no other's, and services bind them from there
 * ({@code DurableConsumers.start(NatsUsers.consumerNamed(...), ...)}).
 */
public record ConsumerSpec(String stream, String name, String filterSubject) {

    /** The same consumer on a narrower filter (the shell builder's {@code tasks.build.<its name>}). */
    public ConsumerSpec filtered(String subject) {
        return new ConsumerSpec(stream, name, subject);
    }

    public ConsumerSpec {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(filterSubject, "filterSubject");
        if (!Subjects.isToken(name)) {
            throw new IllegalArgumentException("consumer name '" + name + "' must be one subject token");
        }
    }
}
