package orrery.canfar.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import orrery.canfar.store.SessionEntity;
import orrery.model.canfar.DeleteResult;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.SessionEvent;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.support.messaging.JetStreamPublisher;
import orrery.support.messaging.TaskEventPublisher;

/**
 * What the adapter tells others: task reports on {@code events.task.<taskId>} (RUNNING is report 1,
 * the final report is 2, so repeats are dropped by the stream) and session status changes on
 * {@code events.session.<sessionId>} (envelope id {@code <sessionId>-<status>}, de-duplicated alike).
 */
@ApplicationScoped
public class SessionReports {

    public static final String LAUNCH = "canfar.launch";
    public static final String DELETE = "canfar.delete";

    private final TaskEventPublisher tasks;
    private final JetStreamPublisher publisher;
    private final EnvelopeFactory envelopes;
    private final EnvelopeCodec codec;
    private final MeterRegistry metrics;

    @Inject
    public SessionReports(TaskEventPublisher tasks, JetStreamPublisher publisher, EnvelopeFactory envelopes,
                          EnvelopeCodec codec, MeterRegistry metrics) {
        this.tasks = tasks;
        this.publisher = publisher;
        this.envelopes = envelopes;
        this.codec = codec;
        this.metrics = metrics;
    }

    /** Refuses (for the dead-letter stream) a task whose reports could not be published: its id is no subject token. */
    public static void requireReportable(String taskId) {
        if (!Subjects.isToken(taskId)) {
            throw new ProblemException(Problem.of("invalid-field", 400, "A field of the request has an invalid value",
                    "taskId '" + taskId + "' cannot be reported on: use letters, digits, '-' and '_' (at most 128)")
                    .with("field", "taskId"));
        }
    }

    public Uni<Void> launchRunning(String taskId, String correlationId) {
        return task(new TaskEvent(taskId, LAUNCH, TaskState.RUNNING, 1, null, null, null), correlationId);
    }

    public Uni<Void> launchCompleted(SessionEntity session) {
        LaunchResult result = new LaunchResult(session.id, session.status, session.connectUrl);
        return task(new TaskEvent(session.taskId, LAUNCH, TaskState.COMPLETED, 2, null, codec.tree(result), null),
                session.correlationId);
    }

    public Uni<Void> launchFailed(String taskId, String correlationId, String reason) {
        return task(new TaskEvent(taskId, LAUNCH, TaskState.FAILED, 2, null, null, reason), correlationId);
    }

    public Uni<Void> deleteRunning(String taskId, String correlationId) {
        return task(new TaskEvent(taskId, DELETE, TaskState.RUNNING, 1, null, null, null), correlationId);
    }

    public Uni<Void> deleteCompleted(String taskId, String correlationId, DeleteResult result) {
        return task(new TaskEvent(taskId, DELETE, TaskState.COMPLETED, 2, null, codec.tree(result), null), correlationId);
    }

    /** The session's current status, as a {@link SessionEvent}. */
    public Uni<Void> sessionEvent(SessionEntity session) {
        SessionEvent event = new SessionEvent(session.id, session.taskId, session.executionId, session.status,
                session.startTime, session.connectUrl, session.exitStatus, session.message);
        String subject = Subjects.sessionEvents(session.id);
        Envelope envelope = envelopes.create(session.id + "-" + session.status, MessageTypes.SESSION_EVENT, subject,
                session.correlationId, event);
        return publisher.publish(subject, envelope)
                .invoke(ack -> {
                    if (!ack.isDuplicate()) {
                        metrics.counter("orrery.canfar.sessions", "backend", session.backend, "status",
                                session.status.name()).increment();
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> task(TaskEvent event, String correlationId) {
        return tasks.publish(event, correlationId)
                .invoke(ack -> {
                    if (!ack.isDuplicate() && event.state().isFinal()) {
                        metrics.counter("orrery.canfar.tasks", "kind", event.kind(), "state", event.state().name())
                                .increment();
                    }
                })
                .replaceWithVoid();
    }
}
