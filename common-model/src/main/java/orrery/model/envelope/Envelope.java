package orrery.model.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A CloudEvents 1.0 structured-mode JSON envelope, the body of every Orrery NATS message.
 *
 * <p>Two extension attributes carry ordering and tracing: {@code lamport}, the sender's
 * Lamport clock when it sent the event, and {@code correlationid}, which ties the commands
 * and events of one execution (or build) together. {@code data} stays a JSON tree here so
 * that a receiver can route on {@code type} before it binds the payload to a record.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
        @JsonProperty(value = "specversion", required = true) String specversion,
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "source", required = true) String source,
        @JsonProperty(value = "type", required = true) String type,
        @JsonProperty("subject") String subject,
        @JsonProperty(value = "time", required = true) Instant time,
        @JsonProperty("datacontenttype") String datacontenttype,
        @JsonProperty(value = "lamport", required = true) long lamport,
        @JsonProperty("correlationid") String correlationid,
        @JsonProperty("data") JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public Envelope {
        requireText(specversion, "specversion");
        if (!SPEC_VERSION.equals(specversion)) {
            throw new IllegalArgumentException(
                    "specversion must be \"" + SPEC_VERSION + "\" but was \"" + specversion + "\"");
        }
        requireText(id, "id");
        requireText(source, "source");
        requireText(type, "type");
        Objects.requireNonNull(time, "time");
        if (lamport < 0) {
            throw new IllegalArgumentException("lamport must not be negative but was " + lamport);
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required and must not be blank");
        }
    }
}
