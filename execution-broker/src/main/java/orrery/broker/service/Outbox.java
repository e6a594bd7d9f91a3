package orrery.broker.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import orrery.broker.store.OutboxEntity;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.time.TimeSource;

/**
 * The sending half of the transactional outbox: a command or event is written in the same
 * transaction as the state that needs it, and {@link OutboxRelay} publishes it after commit.
 * The message id is the {@code Nats-Msg-Id}: for commands the task id (a cancel is
 * {@code <taskId>-cancel}), so a re-publish after a crash is dropped by the stream.
 */
@ApplicationScoped
public class Outbox {

    private final EnvelopeFactory envelopes;
    private final EnvelopeCodec codec;
    private final TimeSource time;

    @Inject
    public Outbox(EnvelopeFactory envelopes, EnvelopeCodec codec, TimeSource time) {
        this.envelopes = envelopes;
        this.codec = codec;
        this.time = time;
    }

    /**
     * Adds a message about execution {@code executionId} to the outbox (call inside a
     * transaction); the execution's id is also the envelope's correlation id. Returns the envelope.
     */
    public Uni<Envelope> add(String messageId, String type, String subject, UUID executionId, Object data) {
        Envelope envelope = envelopes.create(messageId, type, subject, executionId.toString(), data);
        OutboxEntity row = new OutboxEntity();
        row.executionId = executionId;
        row.messageId = messageId;
        row.subject = subject;
        row.body = codec.encode(envelope);
        row.createdAt = time.now();
        return row.persist().replaceWith(envelope);
    }
}
