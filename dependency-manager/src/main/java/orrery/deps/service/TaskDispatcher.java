package orrery.deps.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import orrery.deps.domain.TaskOrder;
import orrery.model.build.BuildTask;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.support.messaging.JetStreamPublisher;
import org.jboss.logging.Logger;

/**
 * Sends build tasks to {@code tasks.build.<builder>}. The envelope id is the task id, so sending
 * again after a failed attempt (or a crash) cannot put the same task on the queue twice; sending
 * is retried with back-off until the stream takes it.
 */
@ApplicationScoped
public class TaskDispatcher {

    private static final Logger LOG = Logger.getLogger(TaskDispatcher.class);

    private final EnvelopeFactory envelopes;
    private final JetStreamPublisher publisher;

    @Inject
    public TaskDispatcher(EnvelopeFactory envelopes, JetStreamPublisher publisher) {
        this.envelopes = envelopes;
        this.publisher = publisher;
    }

    public Uni<Void> send(TaskOrder order) {
        BuildTask task = new BuildTask(order.taskId(), order.buildId(), order.artefact().root(), order.artefact().path(),
                order.inputs(), order.recipe(), order.round());
        String subject = Subjects.build(order.builder());
        var envelope = envelopes.create(order.taskId(), MessageTypes.BUILD_TASK, subject, order.buildId(), task);
        return publisher.publish(subject, envelope)
                .onFailure().invoke(failure -> LOG.warnf("cannot send %s to %s yet: %s", order.taskId(), subject,
                        failure.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }
}
