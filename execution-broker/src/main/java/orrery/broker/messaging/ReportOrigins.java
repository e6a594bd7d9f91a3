package orrery.broker.messaging;

import orrery.broker.store.StepEntity;
import orrery.model.envelope.Envelope;
import orrery.model.messaging.NatsUsers;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.task.TaskEvent;

/**
 * A report counts only when it comes from the service its task was sent to, on that task's own
 * subject. NATS permissions decide who may publish on {@code events.task.>} and
 * {@code events.session.>} at all (see README, "Security model"); these checks make sure that a
 * report cannot be replayed onto another task's subject and that one service's report cannot
 * move another service's step. A report that fails them is refused for good (dead-lettered with
 * the reason), never applied.
 */
final class ReportOrigins {

    static final String STAGING = NatsUsers.STAGING_SERVICE;
    static final String CANFAR = NatsUsers.CANFAR_ADAPTER;

    private ReportOrigins() {
    }

    /** The report's task id is the one its subject names. */
    static void checkSubject(Envelope envelope, TaskEvent event) {
        if (envelope.subject() != null && !envelope.subject().equals(Subjects.taskEvents(event.taskId()))) {
            throw refused("a report about task " + event.taskId() + " arrived on " + envelope.subject()
                    + ", not on that task's subject");
        }
    }

    /** The report comes from the service the step's task was sent to. */
    static void checkSender(Envelope envelope, StepEntity step) {
        String expected = step.kind.service();
        if (!expected.equals(envelope.source())) {
            throw refused("task " + step.taskId + " (" + step.kind + ") was sent to " + expected + ", but this report comes from "
                    + envelope.source());
        }
    }

    /** Session status comes from the canfar adapter only. */
    static void checkSessionSender(Envelope envelope) {
        if (!CANFAR.equals(envelope.source())) {
            throw refused("session events come from " + CANFAR + ", not from " + envelope.source());
        }
    }

    private static ProblemException refused(String why) {
        return new ProblemException(Problem.of("report-not-from-its-task", 422, "A report that does not belong to its task", why));
    }
}
