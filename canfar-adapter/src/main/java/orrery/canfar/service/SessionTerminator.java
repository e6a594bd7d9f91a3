package orrery.canfar.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.function.Predicate;
import orrery.canfar.store.DeleteTaskEntity;
import orrery.canfar.store.SessionEntity;
import orrery.canfar.store.SessionEntity.LaunchState;
import orrery.canfar.store.SessionRepository;
import orrery.model.canfar.DeleteResult;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.SessionStatus;
import orrery.model.time.TimeSource;

/**
 * Ends sessions, for {@code tasks.canfar.delete} and for people through the REST API. A delete is
 * recorded (the session becomes Terminating) and the watcher carries it out, so it survives a
 * restart; a delete task is answered COMPLETED once its session has ended. Deleting a session
 * that has already ended, or that the adapter does not know, succeeds at once.
 */
@ApplicationScoped
public class SessionTerminator {

    private final SessionRepository sessions;
    private final SessionReports reports;
    private final SessionWatcher watcher;
    private final TimeSource time;

    @Inject
    public SessionTerminator(SessionRepository sessions, SessionReports reports, SessionWatcher watcher, TimeSource time) {
        this.sessions = sessions;
        this.reports = reports;
        this.watcher = watcher;
        this.time = time;
    }

    /** Where a delete task stands once recorded: its result when the session has already ended, else null. */
    private record Outcome(DeleteResult finished) {
    }

    public Uni<Void> delete(DeleteTask task, String correlationId) {
        SessionReports.requireReportable(task.taskId());
        Instant now = time.now();
        return Failures.inTransaction(() -> recordDelete(task, correlationId, now))
                .chain(outcome -> outcome.finished() != null
                        ? reports.deleteCompleted(task.taskId(), correlationId, outcome.finished())
                        : reports.deleteRunning(task.taskId(), correlationId))
                .invoke(watcher::nudge);
    }

    /** Records the delete task (once) and marks its session for ending. */
    private Uni<Outcome> recordDelete(DeleteTask task, String correlationId, Instant now) {
        return DeleteTaskEntity.findByTask(task.taskId())
                .chain(known -> known != null ? Uni.createFrom().item(known) : record(task, correlationId, now))
                .chain(deleteTask -> sessions.findById(task.sessionId())
                        .map(session -> outcome(deleteTask, task.sessionId(), session, now)));
    }

    /** An unknown session is Terminated, an ended one keeps its end: both answer the task at once. */
    private static Outcome outcome(DeleteTaskEntity deleteTask, String sessionId, SessionEntity session, Instant now) {
        if (session == null) {
            deleteTask.reported = true;
            return new Outcome(new DeleteResult(sessionId, SessionStatus.Terminated, null));
        }
        request(session, now);
        if (session.status.isFinal()) {
            deleteTask.reported = true;
            return new Outcome(new DeleteResult(session.id, session.status, session.exitStatus));
        }
        return new Outcome(null);
    }

    /**
     * A person's delete of a session they may end ({@code mayEnd} is asked with its owner); null when
     * there is no such session for them.
     */
    public Uni<SessionEntity> deleteOwn(String sessionId, Predicate<String> mayEnd) {
        Instant now = time.now();
        return Failures.inTransaction(() -> sessions.findById(sessionId).map(session -> {
            if (session == null || !mayEnd.test(session.owner)) {
                return null;
            }
            request(session, now);
            return session;
        })).invoke(session -> {
            if (session != null) {
                watcher.nudge();
            }
        });
    }

    private static Uni<DeleteTaskEntity> record(DeleteTask task, String correlationId, Instant now) {
        DeleteTaskEntity fresh = new DeleteTaskEntity();
        fresh.taskId = task.taskId();
        fresh.sessionId = task.sessionId();
        fresh.correlationId = correlationId;
        fresh.requestedAt = now;
        return fresh.persist();
    }

    /** Marks the session for ending; the watcher sends the platform the delete. */
    private static void request(SessionEntity session, Instant now) {
        if (session.status.isFinal() || session.deleteRequested()) {
            if (session.status.isFinal() && session.nextPollAt == null) {
                session.nextPollAt = now;
            }
            return;
        }
        session.deleteRequestedAt = now;
        if (session.launchState == LaunchState.LAUNCHED) {
            session.status = SessionStatus.Terminating;
            session.message = "deleting";
        }
        session.nextPollAt = now;
    }
}
