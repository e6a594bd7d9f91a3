package orrery.deps.messaging;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import orrery.deps.service.BuildCoordinator;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.NatsUsers;
import orrery.model.task.TaskEvent;
import orrery.support.messaging.Disposition;
import orrery.support.messaging.DurableConsumers;
import orrery.support.messaging.EnvelopeRoutes;

/**
 * Builders' reports ({@code events.task.>} on EVENTS, durable consumer {@code dependency-manager-tasks}).
 * Other services' task reports share the subject space and are acknowledged and ignored.
 */
@ApplicationScoped
public class TaskReportConsumer {

    private final EnvelopeRoutes routes;
    private final BuildCoordinator coordinator;

    @Inject
    public TaskReportConsumer(EnvelopeCodec codec, BuildCoordinator coordinator) {
        this.coordinator = coordinator;
        this.routes = EnvelopeRoutes.using(codec)
                .on(MessageTypes.TASK_EVENT, TaskEvent.class, (event, envelope) -> reported(event));
    }

    void start(@Observes StartupEvent ignored, DurableConsumers consumers) {
        consumers.start(NatsUsers.consumerNamed("dependency-manager-tasks"), routes);
    }

    private Uni<Disposition> reported(TaskEvent event) {
        if (!coordinator.isLoaded()) {
            return Uni.createFrom().item(Disposition.retryLater(Duration.ofSeconds(1), "the graph is still loading"));
        }
        return coordinator.taskReported(event).replaceWith(Disposition.done());
    }
}
