package orrery.support.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkiverse.reactive.messaging.nats.jetstream.client.mapper.Serializer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import orrery.model.json.Json;

/**
 * Replaces the connector's payload serializer so that a consumer declared with
 * {@code payload-type=java.lang.String} receives the raw body, whatever it contains.
 *
 * <p>The connector's own serializer parses every body as JSON before our code sees it; a body
 * that is not JSON then fails the whole channel and is redelivered until JetStream drops it.
 * Receiving raw text lets {@link InboundEnvelopes} decide, and send poison to the dead-letter
 * stream instead.
 */
@ApplicationScoped
public class LenientPayloadSerializer implements Serializer {

    private final ObjectMapper mapper = Json.strictMapper();

    @Override
    @SuppressWarnings("unchecked")
    public <T> T readValue(byte[] data, Class<T> type) {
        if (type == String.class) {
            return (T) new String(data == null ? new byte[0] : data, StandardCharsets.UTF_8);
        }
        if (type == byte[].class) {
            return (T) data;
        }
        try {
            return mapper.readValue(data, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a " + type.getSimpleName() + " from the message body", e);
        }
    }

    @Override
    public <T> byte[] toBytes(T value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
