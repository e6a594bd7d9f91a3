package orrery.fswatch.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import orrery.fswatch.config.FsWatchConfig;
import orrery.fswatch.domain.ChangeSink;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.fs.FsEvent;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.support.messaging.JetStreamPublisher;

/**
 * Publishes file changes on {@code events.fs.<root>} (EVENTS stream); the future completes with
 * the stream's acknowledgement, so the caller stores its index only once the event is safe. The
 * envelope id is the change's own id, so JetStream drops a re-publish.
 */
@ApplicationScoped
public class NatsChangeSink implements ChangeSink {

    private final EnvelopeFactory envelopes;
    private final JetStreamPublisher publisher;
    private final Duration timeout;
    private final LiveChanges live;

    @Inject
    public NatsChangeSink(EnvelopeFactory envelopes, JetStreamPublisher publisher, FsWatchConfig config, LiveChanges live) {
        this.envelopes = envelopes;
        this.publisher = publisher;
        this.timeout = config.publishTimeout();
        this.live = live;
    }

    @Override
    public CompletableFuture<Void> publish(FsEvent event, String id) {
        String subject = Subjects.fsEvents(event.root());
        Envelope envelope = envelopes.create(id, MessageTypes.FS_EVENT, subject, null, event);
        return publisher.publish(subject, envelope).ifNoItem().after(timeout).fail()
                .invoke(() -> live.published(event))
                .replaceWithVoid().subscribeAsCompletionStage();
    }
}
