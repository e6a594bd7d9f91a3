package orrery.model.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import orrery.model.json.Json;
import orrery.model.json.JsonInputError;

/**
 * Reads and writes {@link Envelope}s strictly: unknown fields, missing required fields and
 * values of the wrong type are refused with an {@link EnvelopeFormatException} that names the
 * field. The same rules apply to the payload when it is bound with {@link #data}.
 */
public final class EnvelopeCodec {

    private final ObjectMapper mapper;

    public EnvelopeCodec() {
        this(Json.strictMapper());
    }

    public EnvelopeCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    public byte[] encode(Envelope envelope) {
        try {
            return mapper.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode envelope " + envelope.id(), e);
        }
    }

    public Envelope decode(byte[] body) {
        if (body == null || body.length == 0) {
            throw new EnvelopeFormatException(null, "empty message body; expected a CloudEvents JSON envelope", null);
        }
        try {
            return mapper.readValue(body, Envelope.class);
        } catch (JsonProcessingException e) {
            JsonInputError error = JsonInputError.describe(e, null);
            throw new EnvelopeFormatException(error.field(), "invalid envelope: " + error.message(), e);
        } catch (IOException e) {
            throw new EnvelopeFormatException(null, "unreadable envelope: " + e.getMessage(), e);
        }
    }

    /** Binds the envelope's {@code data} to {@code type}, with field paths reported as {@code data.*}. */
    public <T> T data(Envelope envelope, Class<T> type) {
        JsonNode data = envelope.data();
        if (data == null || data.isNull()) {
            throw new EnvelopeFormatException("data", "event " + envelope.type() + " has no data", null);
        }
        try {
            return mapper.treeToValue(data, type);
        } catch (JsonProcessingException e) {
            JsonInputError error = JsonInputError.describe(e, "data");
            throw new EnvelopeFormatException(error.field(), "invalid " + envelope.type() + ": " + error.message(), e);
        }
    }

    /** The payload as a JSON tree, for {@link Envelope#data()}. */
    public JsonNode tree(Object payload) {
        return payload == null ? null : mapper.valueToTree(payload);
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
