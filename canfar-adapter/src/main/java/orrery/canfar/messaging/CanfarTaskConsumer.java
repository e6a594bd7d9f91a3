package orrery.canfar.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import orrery.canfar.service.SessionLauncher;
import orrery.canfar.service.SessionTerminator;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchTask;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.NatsUsers;
import orrery.support.messaging.DurableConsumers;
import orrery.support.messaging.EnvelopeRoutes;

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
    public CanfarTaskConsumer(EnvelopeCodec codec, SessionLauncher launcher, SessionTerminator terminator) {
        this.codec = codec;
        this.launcher = launcher;
        this.terminator = terminator;
    }

    void start(@Observes StartupEvent ignored, DurableConsumers consumers) {
        consumers.start(NatsUsers.consumerNamed("canfar-adapter"), EnvelopeRoutes.using(codec)
                .on(MessageTypes.CANFAR_LAUNCH, LaunchTask.class,
                        (task, envelope) -> launcher.launch(task, envelope.correlationid()))
                .on(MessageTypes.CANFAR_DELETE, DeleteTask.class,
                        (task, envelope) -> terminator.delete(task, envelope.correlationid())));
    }
}
