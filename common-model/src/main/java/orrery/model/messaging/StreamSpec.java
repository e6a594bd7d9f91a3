package orrery.model.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The configuration Orrery expects of a JetStream stream, free of any client library type so
 * that every service creates the same stream the same way.
 *
 * @param maxAge how long messages are kept, or {@link Duration#ZERO} for no limit
 * @param maxBytes the size limit, or -1 for none
 * @param duplicateWindow how long JetStream remembers {@code Nats-Msg-Id}s to drop re-publishes
 */
public record StreamSpec(
        String name,
        List<String> subjects,
        Retention retention,
        Duration maxAge,
        long maxBytes,
        Duration duplicateWindow) {

    /** How a stream keeps messages. */
    public enum Retention {
        /** Each message is removed once a consumer acknowledges it. */
        WORK_QUEUE,
        /** Messages stay until age or size limits remove them. */
        LIMITS
    }

    public StreamSpec {
        Objects.requireNonNull(name, "name");
        subjects = List.copyOf(subjects);
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
    }
}
