package orrery.support.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import orrery.support.time.WorkInFlight;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.envelope.EnvelopeFormatException;
import orrery.model.messaging.Headers;
import orrery.model.messaging.Subjects;
import orrery.model.problem.ProblemException;
import org.jboss.logging.Logger;

/**
 * The one way Orrery services handle a message taken off a JetStream consumer
 * ({@link DurableConsumers} calls it).
 *
 * <p>It decodes the envelope strictly, merges the sender's Lamport clock, runs the handler on a
 * safe Vert.x context and settles the message: ack when done; NAK (with the handler's delay or
 * the consumer's back-off for that delivery) on transient failure; and, for poison that can never succeed or a
 * message that has used up the consumer's {@code maxDeliver} deliveries, a copy on
 * {@code dlq.<original subject>} with the reason in its headers before the ack. Nothing is dropped
 * silently: if the dead-letter publish fails, the message is NAK'd and tried again.
 */
@ApplicationScoped
public class InboundEnvelopes {

    private static final Logger LOG = Logger.getLogger(InboundEnvelopes.class);

    private final EnvelopeCodec codec;
    private final EnvelopeFactory envelopes;
    private final JetStreamPublisher publisher;
    private final SafeContexts contexts;
    private final MeterRegistry metrics;
    private final WorkInFlight inFlight;

    @Inject
    public InboundEnvelopes(EnvelopeCodec codec, EnvelopeFactory envelopes, JetStreamPublisher publisher, SafeContexts contexts,
                            MeterRegistry metrics, WorkInFlight inFlight) {
        this.codec = codec;
        this.envelopes = envelopes;
        this.publisher = publisher;
        this.contexts = contexts;
        this.metrics = metrics;
        this.inFlight = inFlight;
    }

    /**
     * Processes one JetStream message; the returned Uni completes once it is settled. It counts as
     * work in flight from here to its acknowledgement (for the simulated clock).
     */
    public Uni<Void> process(Message message, ConsumerSettings settings, EnvelopeHandler handler) {
        return inFlight.around("message on " + message.getSubject(), () -> handle(message, settings, handler));
    }

    private Uni<Void> handle(Message message, ConsumerSettings settings, EnvelopeHandler handler) {
        Delivery delivery = delivery(message);
        Envelope envelope;
        try {
            envelope = codec.decode(delivery.body());
        } catch (EnvelopeFormatException poison) {
            return settle(message, delivery, settings, Disposition.deadLetter("unreadable message: " + poison.getMessage()));
        }
        envelopes.received(envelope);
        return contexts.run(() -> handler.handle(envelope, delivery))
                .onFailure().recoverWithItem(InboundEnvelopes::classify)
                .onItem().ifNull().continueWith(Disposition::done)
                .chain(disposition -> settle(message, delivery, settings, disposition));
    }

    private static Disposition classify(Throwable failure) {
        if (failure instanceof EnvelopeFormatException || failure instanceof ProblemException) {
            return Disposition.deadLetter("rejected: " + failure.getMessage());
        }
        return Disposition.retryLater(null, failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    private Uni<Void> settle(Message message, Delivery delivery, ConsumerSettings settings, Disposition disposition) {
        switch (disposition.kind()) {
            case DONE:
                return ack(message);
            case RETRY:
                int maxDeliver = settings.maxDeliver();
                if (delivery.deliveredCount() >= maxDeliver) {
                    return deadLetter(message, delivery,
                            "gave up after " + delivery.deliveredCount() + " deliveries: " + disposition.reason());
                }
                LOG.debugf("will redeliver %s (delivery %d of %d): %s", delivery.subject(), delivery.deliveredCount(),
                        maxDeliver, disposition.reason());
                count("orrery.messages.retried", delivery);
                message.nakWithDelay(disposition.delay() == null ? settings.retryDelay(delivery.deliveredCount()) : disposition.delay());
                return Uni.createFrom().voidItem();
            case DEAD_LETTER:
            default:
                return deadLetter(message, delivery, disposition.reason());
        }
    }

    private Uni<Void> deadLetter(Message message, Delivery delivery, String reason) {
        LOG.warnf("dead-lettering %s (stream %s seq %d, delivery %d): %s", delivery.subject(), delivery.stream(),
                delivery.streamSequence(), delivery.deliveredCount(), reason);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.DLQ_REASON, oneLine(reason));
        headers.put(Headers.DLQ_SUBJECT, String.valueOf(delivery.subject()));
        headers.put(Headers.DLQ_CONSUMER, String.valueOf(delivery.consumer()));
        headers.put(Headers.DLQ_DELIVERIES, Long.toString(delivery.deliveredCount()));
        String id = "dlq-" + delivery.stream() + "-" + delivery.streamSequence();
        return publisher.publishRaw(Subjects.deadLetter(delivery.subject()), delivery.body(), id, headers)
                .invoke(() -> count("orrery.messages.dead_lettered", delivery))
                .chain(() -> ack(message))
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf(failure, "cannot dead-letter %s; it will be redelivered", delivery.subject());
                    message.nak();
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Acknowledges without waiting for the server's confirmation: an ack lost in an outage means one
     * more delivery, which every handler takes idempotently, and never a consumer stuck on a reply.
     */
    private static Uni<Void> ack(Message message) {
        message.ack();
        return Uni.createFrom().voidItem();
    }

    private void count(String name, Delivery delivery) {
        metrics.counter(name, "subject", subjectFamily(delivery.subject())).increment();
    }

    /** The subject without its id token, so metrics do not get one series per task. */
    private static String subjectFamily(String subject) {
        if (subject == null) {
            return "unknown";
        }
        String[] tokens = subject.split("\\.");
        return tokens.length <= 2 ? subject : tokens[0] + "." + tokens[1];
    }

    private static String oneLine(String reason) {
        String text = reason == null ? "unknown" : reason.replaceAll("[\\r\\n]+", " ");
        return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }

    private static Delivery delivery(Message message) {
        NatsJetStreamMetaData meta = message.metaData();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (message.getHeaders() != null) {
            message.getHeaders().forEach(headers::put);
        }
        byte[] body = message.getData() == null ? new byte[0] : message.getData();
        return new Delivery(meta.getStream(), message.getSubject(), meta.getConsumer(),
                Math.max(1, meta.deliveredCount()), meta.streamSequence(), headers, body);
    }
}
