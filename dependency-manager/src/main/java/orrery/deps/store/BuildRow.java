package orrery.deps.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A build as stored. {@code report} holds its steps and failures once it has ended. */
public record BuildRow(String id, String target, String trigger, String state, Instant createdAt,
                       Instant finishedAt, JsonObject report) {
}
