package orrery.support.messaging;

import io.nats.client.api.PublishAck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.task.TaskEvent;

/**
 * Publishes a task's reports on {@code events.task.<taskId>}. The envelope id is
 * {@code <taskId>-<sequence>}, so reporting the same step twice (after a redelivery or a crash)
 * is dropped by the stream instead of reaching the requester twice.
 */
@ApplicationScoped
public class TaskEventPublisher {

    private final EnvelopeFactory envelopes;
    private final JetStreamPublisher publisher;

    @Inject
    public TaskEventPublisher(EnvelopeFactory envelopes, JetStreamPublisher publisher) {
        this.envelopes = envelopes;
        this.publisher = publisher;
    }

    public Uni<PublishAck> publish(TaskEvent event, String correlationId) {
        String subject = Subjects.taskEvents(event.taskId());
        Envelope envelope = envelopes.create(event.taskId() + "-" + event.sequence(), MessageTypes.TASK_EVENT, subject,
                correlationId, event);
        return publisher.publish(subject, envelope);
    }
}
