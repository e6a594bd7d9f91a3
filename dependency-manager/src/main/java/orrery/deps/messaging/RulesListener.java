package orrery.deps.messaging;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import orrery.deps.domain.MessageLimits;
import orrery.deps.service.BuildCoordinator;
import orrery.model.build.RuleAnnouncement;
import orrery.model.build.RulesDiscover;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.envelope.EnvelopeFormatException;
import orrery.model.messaging.Headers;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.problem.ProblemException;
import orrery.support.messaging.JetStreamPublisher;
import orrery.support.messaging.SafeContexts;
import org.jboss.logging.Logger;

/**
 * Hears builders' rule announcements ({@code rules.announce}, core NATS, every replica hears
 * all) and, once the graph is loaded, asks every builder to announce again
 * ({@code rules.discover}). An announcement that cannot be read goes to
 * {@code dlq.rules.announce} with the reason, like any other poison message.
 */
@ApplicationScoped
public class RulesListener {

    private static final Logger LOG = Logger.getLogger(RulesListener.class);

    private final Connection connection;
    private final EnvelopeCodec codec;
    private final EnvelopeFactory envelopes;
    private final JetStreamPublisher publisher;
    private final SafeContexts contexts;
    private final BuildCoordinator coordinator;
    private Dispatcher dispatcher;

    @Inject
    public RulesListener(Connection connection, EnvelopeCodec codec, EnvelopeFactory envelopes,
                         JetStreamPublisher publisher, SafeContexts contexts, BuildCoordinator coordinator) {
        this.connection = connection;
        this.codec = codec;
        this.envelopes = envelopes;
        this.publisher = publisher;
        this.contexts = contexts;
        this.coordinator = coordinator;
    }

    void start(@Observes @Priority(20) StartupEvent startup) {
        dispatcher = connection.createDispatcher(this::heard);
        dispatcher.subscribe(Subjects.RULES_ANNOUNCE);
        Envelope discover = envelopes.event(MessageTypes.RULES_DISCOVER, Subjects.RULES_DISCOVER, null,
                new RulesDiscover(envelopes.source()));
        connection.publish(Subjects.RULES_DISCOVER, codec.encode(discover));
        LOG.info("listening to rule announcements; asked builders to announce");
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (dispatcher != null) {
            connection.closeDispatcher(dispatcher);
        }
    }

    private void heard(Message message) {
        RuleAnnouncement announcement;
        try {
            Envelope envelope = codec.decode(message.getData());
            if (!MessageTypes.RULES_ANNOUNCE.equals(envelope.type())) {
                throw new EnvelopeFormatException("type", "expected type " + MessageTypes.RULES_ANNOUNCE
                        + " but got " + envelope.type(), null);
            }
            envelopes.received(envelope);
            announcement = codec.data(envelope, RuleAnnouncement.class);
        } catch (EnvelopeFormatException e) {
            deadLetter(message, "unreadable message: " + e.getMessage());
            return;
        }
        var refused = MessageLimits.refusal(announcement);
        if (refused.isPresent()) {
            deadLetter(message, "refused announcement: " + refused.get());
            return;
        }
        contexts.run(() -> coordinator.rulesAnnounced(announcement)).subscribe().with(
                ok -> { }, failure -> {
                    LOG.warnf("could not apply the rules of %s: %s", announcement.builder(), failure.getMessage());
                    if (failure instanceof ProblemException || failure instanceof IllegalArgumentException) {
                        deadLetter(message, "refused announcement: " + failure.getMessage());
                    }
                });
    }

    private void deadLetter(Message message, String reason) {
        LOG.warnf("dead-lettering an announcement: %s", reason);
        String id = "dlq-announce-" + java.util.UUID.randomUUID();
        publisher.publishRaw(Subjects.deadLetter(message.getSubject()), message.getData(), id,
                        Map.of(Headers.DLQ_REASON, reason.replaceAll("[\\r\\n]+", " "),
                                Headers.DLQ_SUBJECT, message.getSubject(),
                                Headers.DLQ_CONSUMER, "rules-listener",
                                Headers.DLQ_DELIVERIES, "1"))
                .subscribe().with(ok -> { }, failure -> LOG.errorf("cannot dead-letter an announcement: %s",
                        failure.getMessage()));
    }
}
