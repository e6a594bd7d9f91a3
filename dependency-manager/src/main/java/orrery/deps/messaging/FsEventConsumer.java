package orrery.deps.messaging;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import orrery.deps.domain.MessageLimits;
import orrery.deps.service.BuildCoordinator;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.fs.FsEvent;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.NatsUsers;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.messaging.Delivery;
import orrery.support.messaging.Disposition;
import orrery.support.messaging.DurableConsumers;
import orrery.support.messaging.EnvelopeRoutes;

/**
 * File changes from the fs-watcher ({@code events.fs.>} on EVENTS, durable consumer {@code dependency-manager-fs}).
 * An event must name the root its subject names, so the route is made for each delivery's subject.
 */
@ApplicationScoped
public class FsEventConsumer {

    private final EnvelopeCodec codec;
    private final BuildCoordinator coordinator;

    @Inject
    public FsEventConsumer(EnvelopeCodec codec, BuildCoordinator coordinator) {
        this.codec = codec;
        this.coordinator = coordinator;
    }

    void start(@Observes StartupEvent ignored, DurableConsumers consumers) {
        consumers.start(NatsUsers.consumerNamed("dependency-manager-fs"), this::handle);
    }

    private Uni<Disposition> handle(Envelope envelope, Delivery delivery) {
        String subjectRoot = Subjects.lastToken(delivery.subject());
        return EnvelopeRoutes.using(codec)
                .on(MessageTypes.FS_EVENT, FsEvent.class, (event, received) -> fileChanged(event, subjectRoot))
                .handle(envelope, delivery);
    }

    private Uni<Disposition> fileChanged(FsEvent event, String subjectRoot) {
        MessageLimits.refusal(event, subjectRoot).ifPresent(reason -> {
            throw new ProblemException(Problem.of("invalid-file-event", 400, "Unusable file event", reason));
        });
        if (!coordinator.isLoaded()) {
            return Uni.createFrom().item(Disposition.retryLater(Duration.ofSeconds(1), "the graph is still loading"));
        }
        return coordinator.fileChanged(event).replaceWith(Disposition.done());
    }
}
