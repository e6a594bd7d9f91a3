package orrery.support.messaging;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import orrery.support.time.WorkInFlight;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes envelopes to JetStream and waits for the stream's acknowledgement.
 *
 * <p>The envelope id goes out as {@code Nats-Msg-Id}, so a re-publish (an outbox retried after a
 * crash, a redelivered command answered twice) is dropped by the stream's duplicate window. The
 * result is delivered back on the caller's Vert.x context, so callers can carry on with reactive
 * database work.
 */
@ApplicationScoped
public class JetStreamPublisher {

    private final Connection connection;
    private final EnvelopeCodec codec;
    private final Duration timeout;
    private final WorkInFlight inFlight;
    private volatile JetStream jetStream;

    @Inject
    public JetStreamPublisher(Connection connection, EnvelopeCodec codec,
                              @ConfigProperty(name = "orrery.messaging.publish-timeout", defaultValue = "PT30S") Duration timeout,
                              WorkInFlight inFlight) {
        this.connection = connection;
        this.codec = codec;
        this.timeout = timeout;
        this.inFlight = inFlight;
    }

    public Uni<PublishAck> publish(String subject, Envelope envelope) {
        return publish(subject, envelope, Map.of());
    }

    public Uni<PublishAck> publish(String subject, Envelope envelope, Map<String, String> headers) {
        return publishRaw(subject, codec.encode(envelope), envelope.id(), headers);
    }

    /** Publishes a body as it is, with {@code messageId} for de-duplication. */
    public Uni<PublishAck> publishRaw(String subject, byte[] body, String messageId, Map<String, String> headers) {
        Headers natsHeaders = new Headers();
        headers.forEach(natsHeaders::add);
        PublishOptions options = PublishOptions.builder().messageId(messageId).build();
        Context caller = Vertx.currentContext();
        // Counted until the stream's ack: on simulated time a report on its way holds time as it
        // would once it is in the stream (where the controller sees it pending).
        Uni<PublishAck> ack = inFlight.around("publish on " + subject, () -> {
            try {
                return Uni.createFrom().completionStage(jetStream().publishAsync(subject, natsHeaders, body, options));
            } catch (IOException e) {
                return Uni.createFrom().failure(new UncheckedIOException(e));
            }
        }).ifNoItem().after(timeout).failWith(() -> new IOException("JetStream did not acknowledge the publish on "
                + subject + " within " + timeout + "; is NATS reachable?")); // a half-open connection would wait for ever
        return caller == null ? ack : ack.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    private JetStream jetStream() throws IOException {
        JetStream current = jetStream;
        if (current == null) {
            current = connection.jetStream();
            jetStream = current;
        }
        return current;
    }
}
