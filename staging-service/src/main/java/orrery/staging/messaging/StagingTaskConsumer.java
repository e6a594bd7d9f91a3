package orrery.staging.messaging;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.NatsUsers;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.staging.CancelTask;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.TransferTask;
import orrery.staging.domain.TransferIds;
import orrery.staging.tasks.StagingCoordinator;
import orrery.support.messaging.Delivery;
import orrery.support.messaging.Disposition;
import orrery.support.messaging.DurableConsumers;

/** Takes {@code tasks.staging.*} commands off the TASKS stream. */
@ApplicationScoped
public class StagingTaskConsumer {

    private final EnvelopeCodec codec;
    private final StagingCoordinator coordinator;

    @Inject
    public StagingTaskConsumer(EnvelopeCodec codec, StagingCoordinator coordinator) {
        this.codec = codec;
        this.coordinator = coordinator;
    }

    void start(@Observes StartupEvent ignored, DurableConsumers consumers) {
        consumers.start(NatsUsers.consumerNamed("staging"), this::handle);
    }

    private Uni<Disposition> handle(Envelope envelope, Delivery delivery) {
        String correlation = envelope.correlationid();
        switch (envelope.type()) {
            case MessageTypes.STAGING_TRANSFER: {
                TransferTask task = codec.data(envelope, TransferTask.class);
                notReserved(task.taskId());
                return coordinator.acceptTransfer(task, correlation).replaceWith(Disposition.done());
            }
            case MessageTypes.STAGING_DIRECTORY: {
                DirectoryTask task = codec.data(envelope, DirectoryTask.class);
                notReserved(task.taskId());
                return coordinator.acceptDirectory(task, correlation).replaceWith(Disposition.done());
            }
            case MessageTypes.STAGING_CANCEL: {
                CancelTask task = codec.data(envelope, CancelTask.class);
                notReserved(task.taskId());
                return coordinator.cancel(task.taskId(), correlation).replaceWith(Disposition.done());
            }
            default:
                throw new ProblemException(Problem.of("unknown-command", 400, "Unknown command",
                        "the staging service does not handle messages of type '" + envelope.type() + "' on "
                                + delivery.subject()));
        }
    }

    /** Ids of transfers started over REST are the service's own; no command on NATS may take or cancel one. */
    private static void notReserved(String taskId) {
        if (TransferIds.isRest(taskId)) {
            throw new ProblemException(Problem.of("reserved-task-id", 400, "The task id is reserved",
                    "task id " + taskId + " starts with '" + TransferIds.REST_PREFIX + "', which is reserved for transfers "
                            + "started over REST; commands on NATS use ids of their own sender (the broker's start with 'eb-')"));
        }
    }
}
