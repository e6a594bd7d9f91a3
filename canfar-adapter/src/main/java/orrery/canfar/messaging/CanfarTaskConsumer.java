package orrery.canfar.messaging;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import orrery.canfar.sessions.SessionLauncher;
import orrery.canfar.sessions.SessionTerminator;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchTask;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.NatsUsers;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.messaging.Delivery;
import orrery.support.messaging.Disposition;
import orrery.support.messaging.DurableConsumers;

/**
 * Takes {@code tasks.canfar.launch} and {@code tasks.canfar.delete} off the TASKS stream (durable
 * pull consumer {@code canfar-adapter}, filter {@code tasks.canfar.>}). Unreadable messages and
 * other types go to the dead-letter stream.
 */
@ApplicationScoped
public class CanfarTaskConsumer {

    private final EnvelopeCodec codec;
    private final SessionLauncher launcher;
    private final SessionTerminator terminator;

    @Inject
    public CanfarTaskConsumer(EnvelopeCodec codec, SessionLauncher launcher,
                              SessionTerminator terminator) {
        this.codec = codec;
        this.launcher = launcher;
        this.terminator = terminator;
    }

    void start(@Observes StartupEvent ignored, DurableConsumers consumers) {
        consumers.start(NatsUsers.consumerNamed("canfar-adapter"), this::handle);
    }

    private Uni<Disposition> handle(Envelope envelope, Delivery delivery) {
        switch (envelope.type()) {
            case MessageTypes.CANFAR_LAUNCH:
                return launcher.launch(codec.data(envelope, LaunchTask.class), envelope.correlationid());
            case MessageTypes.CANFAR_DELETE:
                return terminator.delete(codec.data(envelope, DeleteTask.class), envelope.correlationid())
                        .replaceWith(Disposition.done());
            default:
                throw new ProblemException(Problem.of("unknown-type", 400, "Unknown message type",
                        delivery.subject() + " carries " + MessageTypes.CANFAR_LAUNCH + " or " + MessageTypes.CANFAR_DELETE
                                + ", not " + envelope.type()));
        }
    }
}
