package orrery.canfar.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import orrery.canfar.store.DeleteTaskEntity;
import orrery.canfar.store.SessionEntity;
import orrery.canfar.store.SessionEntity.LaunchState;
import orrery.canfar.store.SessionRepository;
import orrery.model.canfar.DeleteResult;
import orrery.model.canfar.SessionStatus;

/**
 * The watcher's step that tells others what was recorded: publishes a status not yet reported,
 * answers the delete tasks of a session that has ended, and stops watching a session once nothing
 * about it is left to say. What was published is recorded after the stream took it, so a crash in
 * between publishes it again (the stream drops the repeat).
 */
@ApplicationScoped
public class StatusReporting {

    private final SessionRepository sessions;
    private final SessionReports reports;
    private final SessionUpdates updates;

    @Inject
    public StatusReporting(SessionRepository sessions, SessionReports reports, SessionUpdates updates) {
        this.sessions = sessions;
        this.reports = reports;
        this.updates = updates;
    }

    /** Publishes an unreported status, answers delete tasks of an ended session, and stops watching when done. */
    Uni<Void> report(String id) {
        return Panache.withSession(() -> sessions.findById(id)).chain(this::report);
    }

    /**
     * The same, from a row just read or written by the caller (one read fewer): what it decides
     * from the row is checked again on a fresh read before anything is recorded.
     */
    Uni<Void> report(SessionEntity row) {
        if (row == null) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> event = publishIfUnreported(row);
        if (!row.status.isFinal()) {
            return event;
        }
        return event.chain(() -> answerDeletes(row)).chain(() -> stopWatchingIfDone(row.id));
    }

    private Uni<Void> publishIfUnreported(SessionEntity row) {
        if (row.launchState != LaunchState.LAUNCHED || row.status == row.reportedStatus) {
            return Uni.createFrom().voidItem();
        }
        SessionStatus published = row.status;
        return reports.sessionEvent(row).chain(() -> updates.update(row.id, fresh -> {
            if (fresh.status == published) {
                fresh.reportedStatus = published;
            }
        })).replaceWithVoid();
    }

    private Uni<Void> answerDeletes(SessionEntity row) {
        DeleteResult result = new DeleteResult(row.id, row.status, row.exitStatus);
        return Panache.withSession(() -> DeleteTaskEntity.findOpenFor(row.id))
                .chain(open -> answer(open, result));
    }

    private Uni<Void> answer(List<DeleteTaskEntity> open, DeleteResult result) {
        return Multi.createFrom().iterable(open)
                .onItem().transformToUniAndConcatenate(task -> reports.deleteCompleted(task.taskId, task.correlationId, result)
                        .chain(() -> Failures.inTransaction(() -> DeleteTaskEntity.findByTask(task.taskId)
                                .invoke(fresh -> fresh.reported = true))))
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> stopWatchingIfDone(String id) {
        return updates.update(id, fresh -> {
            if (fresh.status.isFinal() && (fresh.launchState != LaunchState.LAUNCHED
                    || fresh.status == fresh.reportedStatus)) {
                fresh.nextPollAt = null;
            }
        }).replaceWithVoid();
    }
}
