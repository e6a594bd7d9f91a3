package orrery.deps.messaging;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import orrery.deps.service.BuildCoordinator;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.NatsUsers;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.task.TaskEvent;
import orrery.support.messaging.Delivery;
import orrery.support.messaging.Disposition;
import orrery.support.messaging.DurableConsumers;

/**
 * Builders' reports ({@code events.task.>} on EVENTS, durable consumer {@code dependency-manager-tasks}).
 * Other services' task reports share the subject space and are acknowledged and ignored.
 */
@ApplicationScoped
public class TaskReportConsumer {

    private final EnvelopeCodec codec;
    private final BuildCoordinator coordinator;

    @Inject
    public TaskReportConsumer(EnvelopeCodec codec, BuildCoordinator coordinator) {
        this.codec = codec;
        this.coordinator = coordinator;
    }

    void start(@Observes StartupEvent ignored, DurableConsumers consumers) {
        consumers.start(NatsUsers.consumerNamed("dependency-manager-tasks"), this::handle);
    }

    private Uni<Disposition> handle(Envelope envelope, Delivery delivery) {
        if (!MessageTypes.TASK_EVENT.equals(envelope.type())) {
            throw new ProblemException(Problem.of("unexpected-type", 400, "Not a task report",
                    "expected type " + MessageTypes.TASK_EVENT + " on " + delivery.subject() + " but got " + envelope.type()));
        }
        TaskEvent event = codec.data(envelope, TaskEvent.class);
        if (!coordinator.isLoaded()) {
            return Uni.createFrom().item(Disposition.retryLater(Duration.ofSeconds(1), "the graph is still loading"));
        }
        return coordinator.taskReported(event).replaceWith(Disposition.done());
    }
}
