package orrery.staging.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.NatsUsers;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.staging.CancelTask;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.TransferTask;
import orrery.staging.domain.TransferIds;
import orrery.staging.service.StagingCoordinator;
import orrery.support.messaging.DurableConsumers;
import orrery.support.messaging.EnvelopeRoutes;

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
        consumers.start(NatsUsers.consumerNamed("staging"), EnvelopeRoutes.using(codec)
                .on(MessageTypes.STAGING_TRANSFER, TransferTask.class, (task, envelope) ->
                        coordinator.acceptTransfer(notReserved(task, task.taskId()), envelope.correlationid()))
                .on(MessageTypes.STAGING_DIRECTORY, DirectoryTask.class, (task, envelope) ->
                        coordinator.acceptDirectory(notReserved(task, task.taskId()), envelope.correlationid()))
                .on(MessageTypes.STAGING_CANCEL, CancelTask.class, (task, envelope) ->
                        coordinator.cancel(notReserved(task, task.taskId()).taskId(), envelope.correlationid())));
    }

    /** Ids of transfers started over REST are the service's own; no command on NATS may take or cancel one. */
    private static <T> T notReserved(T command, String taskId) {
        if (TransferIds.isRest(taskId)) {
            throw new ProblemException(Problem.of("reserved-task-id", 400, "The task id is reserved",
                    "task id " + taskId + " starts with '" + TransferIds.REST_PREFIX + "', which is reserved for transfers "
                            + "started over REST; commands on NATS use ids of their own sender (the broker's start with 'eb-')"));
        }
        return command;
    }
}
