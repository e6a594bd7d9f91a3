package orrery.deps.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import orrery.model.build.ArtefactEvent;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.support.messaging.JetStreamPublisher;
import org.jboss.logging.Logger;

/** Tells the world an artefact changed, on {@code events.artefact.<id>}. */
@ApplicationScoped
public class ArtefactEventPublisher {

    private static final Logger LOG = Logger.getLogger(ArtefactEventPublisher.class);

    private final EnvelopeFactory envelopes;
    private final JetStreamPublisher publisher;

    @Inject
    public ArtefactEventPublisher(EnvelopeFactory envelopes, JetStreamPublisher publisher) {
        this.envelopes = envelopes;
        this.publisher = publisher;
    }

    public Uni<Void> publish(ArtefactEvent event) {
        String subject = Subjects.artefactEvents(event.artefactId());
        return publisher.publish(subject, envelopes.event(MessageTypes.ARTEFACT_EVENT, subject, event.buildId(), event))
                .onFailure().invoke(failure -> LOG.warnf("cannot publish the change of %s/%s: %s", event.root(),
                        event.path(), failure.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
