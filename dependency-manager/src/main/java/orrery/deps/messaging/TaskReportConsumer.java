package orrery.deps.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import orrery.deps.service.BuildCoordinator;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.task.TaskEvent;
import orrery.support.messaging.Delivery;
import orrery.support.messaging.Disposition;
import orrery.support.messaging.InboundEnvelopes;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Builders' reports ({@code events.task.>} on EVENTS, durable consumer {@code dependency-manager-tasks}).
 * Other services' task reports share the subject space and are acknowledged and ignored.
 */
@ApplicationScoped
public class TaskReportConsumer {

    private final InboundEnvelopes inbound;
    private final EnvelopeCodec codec;
    private final BuildCoordinator coordinator;

    @Inject
    public TaskReportConsumer(InboundEnvelopes inbound, EnvelopeCodec codec, BuildCoordinator coordinator) {
        this.inbound = inbound;
        this.codec = codec;
        this.coordinator = coordinator;
    }

    @Incoming("task-reports")
    public Uni<Void> consume(Message<String> message) {
        return inbound.process(message, this::handle);
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
