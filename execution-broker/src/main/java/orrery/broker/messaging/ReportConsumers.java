package orrery.broker.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;
import orrery.broker.domain.TaskIds;
import orrery.broker.service.DueWork;
import orrery.broker.service.Lifecycle;
import orrery.broker.service.OutboxRelay;
import orrery.broker.store.ExecutionEntity;
import orrery.broker.store.StepEntity;
import orrery.model.canfar.SessionEvent;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.NatsUsers;
import orrery.model.task.TaskEvent;
import orrery.support.messaging.Disposition;
import orrery.support.messaging.DurableConsumers;
import orrery.support.messaging.EnvelopeRoutes;
import org.jboss.logging.Logger;

/**
 * Takes the services' reports off the EVENTS stream: task reports ({@code events.task.*}) and
 * session status changes ({@code events.session.*}). Reports are applied idempotently and in
 * order (by the report's sequence and the Lamport clock); a report for a task the broker cannot
 * see yet (its transaction has not committed, or the report naming a session is still
 * held by a broker that died) is NAK'd by the consumer's back-off, never dropped; after
 * {@code max-deliver} it goes to the dead-letter stream with the reason.
 */
@ApplicationScoped
public class ReportConsumers {

    private static final Logger LOG = Logger.getLogger(ReportConsumers.class);

    private final EnvelopeCodec codec;
    private final Lifecycle lifecycle;
    private final OutboxRelay relay;
    private final DueWork due;

    @Inject
    public ReportConsumers(EnvelopeCodec codec, Lifecycle lifecycle, OutboxRelay relay, DueWork due) {
        this.codec = codec;
        this.lifecycle = lifecycle;
        this.relay = relay;
        this.due = due;
    }

    void start(@Observes StartupEvent ignored, DurableConsumers consumers) {
        consumers.start(NatsUsers.consumerNamed("broker-task-reports"),
                EnvelopeRoutes.using(codec).on(MessageTypes.TASK_EVENT, TaskEvent.class, this::taskReport));
        consumers.start(NatsUsers.consumerNamed("broker-session-events"),
                EnvelopeRoutes.using(codec).on(MessageTypes.SESSION_EVENT, SessionEvent.class, this::sessionEvent));
    }

    private Uni<Disposition> taskReport(TaskEvent event, Envelope envelope) {
        if (!TaskIds.isBrokers(event.taskId())) {
            return Uni.createFrom().item(Disposition.done()); // another service's task
        }
        ReportOrigins.checkSubject(envelope, event);
        AtomicReference<ExecutionEntity> changed = new AtomicReference<>();
        return Panache.withTransaction(() -> StepEntity.findForUpdate(event.taskId()).chain(step -> {
            if (step == null) {
                return Uni.createFrom().item(Disposition.notYet("no step " + event.taskId() + " is visible yet"));
            }
            ReportOrigins.checkSender(envelope, step);
            return ExecutionEntity.findForUpdate(step.executionId)
                    .invoke(changed::set)
                    .chain(row -> lifecycle.report(row, step, event, envelope.lamport()))
                    .replaceWith(Disposition.done());
        })).invoke(disposition -> nudgeWhenDone(disposition, changed.get()));
    }

    private Uni<Disposition> sessionEvent(SessionEvent event, Envelope envelope) {
        ReportOrigins.checkSessionSender(envelope);
        AtomicReference<ExecutionEntity> changed = new AtomicReference<>();
        return Panache.withTransaction(() -> ExecutionEntity.findBySessionForUpdate(event.sessionId()).chain(row -> {
            if (row != null) {
                changed.set(row);
                return lifecycle.session(row, event).replaceWith(Disposition.done());
            }
            if (TaskIds.isBrokers(event.taskId())) {
                return beforeTheLaunchReport(event, changed);
            }
            LOG.debugf("session %s belongs to no execution", event.sessionId());
            return Uni.createFrom().item(Disposition.done());
        })).invoke(disposition -> nudgeWhenDone(disposition, changed.get()));
    }

    /**
     * A session no execution knows yet, made by one of our launch tasks: its launch report is on
     * the other consumer and may not be applied yet. The launch step names the execution; waiting
     * for the report instead would hold every launch for a redelivery delay.
     */
    private Uni<Disposition> beforeTheLaunchReport(SessionEvent event, AtomicReference<ExecutionEntity> changed) {
        return StepEntity.findForUpdate(event.taskId()).chain(step -> {
            if (step == null) {
                return Uni.createFrom().item(Disposition.notYet("no execution knows session " + event.sessionId() + " yet"));
            }
            return ExecutionEntity.findForUpdate(step.executionId)
                    .invoke(changed::set)
                    .chain(row -> lifecycle.session(row, event))
                    .replaceWith(Disposition.done());
        });
    }

    /** What a report changed goes out at once, and the due time it left is looked at (the row as committed). */
    private void nudgeWhenDone(Disposition disposition, ExecutionEntity row) {
        if (disposition.kind() == Disposition.Kind.DONE) {
            relay.kick();
            due.changed(row == null ? null : row.dueAt);
        }
    }
}
