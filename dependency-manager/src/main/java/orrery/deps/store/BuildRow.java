package orrery.deps.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A build as stored. {@code report} holds its steps and failures once it has ended; {@code owner} is
 * the user who asked for it, or null for a build the service started by itself.
 */
public record BuildRow(String id, String target, String trigger, String owner, String state, Instant createdAt,
                       Instant finishedAt, JsonObject report) {
}
