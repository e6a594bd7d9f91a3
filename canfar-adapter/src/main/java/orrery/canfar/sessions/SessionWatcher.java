package orrery.canfar.sessions;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import orrery.canfar.CanfarConfig;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.backend.SessionRef;
import orrery.canfar.domain.Observation;
import orrery.canfar.domain.StatusRules;
import orrery.canfar.store.DeleteTaskEntity;
import orrery.canfar.store.SessionEntity;
import orrery.canfar.store.SessionEntity.LaunchState;
import orrery.canfar.store.SessionRepository;
import orrery.model.canfar.DeleteResult;
import orrery.model.canfar.SessionStatus;
import orrery.model.time.TimeSource;
import orrery.support.messaging.SafeContexts;
import org.jboss.logging.Logger;

/**
 * Watches the sessions the adapter owns, driven by their due times in PostgreSQL: sends deletes
 * and, after the grace period, kills; looks at each session with a back-off (soon after a change,
 * less often while nothing happens); records and publishes status changes; renews platform
 * sessions whose booking runs past their expiry; and answers delete tasks once their session has
 * ended. All timers go through the {@link TimeSource}. Because the due times live in the
 * database, a restarted adapter resumes watching where the last one stopped.
 */
@ApplicationScoped
public class SessionWatcher {

    private static final Logger LOG = Logger.getLogger(SessionWatcher.class);
    /** The shortest pause between sweeps, so that a session that keeps failing cannot spin the loop. */
    private static final Duration MIN_GAP = Duration.ofMillis(100);
    private static final Duration RETRY_REPORT = Duration.ofSeconds(2);

    private final SessionRepository sessions;
    private final SessionBackend backend;
    private final SessionReports reports;
    private final StartupEstimates estimates;
    private final Instance<SessionLauncher> launcher;
    private final TimeSource time;
    private final SafeContexts contexts;
    private final CanfarConfig config;

    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean again;
    private volatile boolean stopped;
    private TimeSource.Timer timer;

    @Inject
    public SessionWatcher(SessionRepository sessions, SessionBackend backend, SessionReports reports,
                          StartupEstimates estimates, Instance<SessionLauncher> launcher, TimeSource time,
                          SafeContexts contexts, CanfarConfig config) {
        this.sessions = sessions;
        this.backend = backend;
        this.reports = reports;
        this.estimates = estimates;
        this.launcher = launcher;
        this.time = time;
        this.contexts = contexts;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        backend.onChange(sessionId -> nudge());
        resume();
    }

    void stop(@Observes ShutdownEvent stopping) {
        stopped = true;
        synchronized (this) {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /** Picks up every session recorded as watched (what a start-up does). */
    public void resume() {
        LOG.info("watching the sessions recorded in the database");
        nudge();
    }

    /** Sweeps now (or right after the sweep under way). */
    public void nudge() {
        if (stopped) {
            return;
        }
        if (!sweeping.compareAndSet(false, true)) {
            again = true;
            return;
        }
        again = false;
        contexts.run(this::sweep).subscribe().with(this::finished, failure -> {
            LOG.warnf("sweep failed, trying again in %s: %s", config.watch().idle(), failure.getMessage());
            finished(time.now().plus(config.watch().idle()));
        });
    }

    private void finished(Instant next) {
        sweeping.set(false);
        if (again) {
            nudge();
            return;
        }
        Instant now = time.now();
        Instant at = next == null ? now.plus(config.watch().idle()) : next;
        if (at.isAfter(now.plus(config.watch().idle()))) {
            at = now.plus(config.watch().idle());
        }
        if (at.isBefore(now.plus(MIN_GAP))) {
            at = now.plus(MIN_GAP);
        }
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (timer != null) {
                timer.cancel();
            }
            timer = time.schedule(at, this::nudge);
        }
    }

    /** One pass over the due sessions; returns when the next one is due. */
    private Uni<Instant> sweep() {
        Instant now = time.now();
        return Panache.withSession(() -> sessions.dueIds(now, config.watch().batch()))
                .chain(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(id -> tend(id).onFailure().recoverWithUni(failure -> {
                            LOG.warnf(failure, "could not look after session %s; will try again", id);
                            return postpone(id);
                        }))
                        .collect().asList().replaceWith(ids))
                .chain(ids -> ids.size() >= config.watch().batch() ? Uni.createFrom().item(time.now())
                        : Panache.withSession(sessions::nextDue));
    }

    private Uni<Void> tend(String id) {
        return Panache.withSession(() -> sessions.findById(id)).chain(session -> {
            if (session == null || session.nextPollAt == null || session.nextPollAt.isAfter(time.now())) {
                return Uni.createFrom().voidItem();
            }
            return switch (session.launchState) {
                case LAUNCHING -> launcher.get().settleInterrupted(session).chain(() -> update(id, row -> {
                    if (row.launchState == LaunchState.LAUNCHING) {
                        row.nextPollAt = time.now().plus(config.watch().launchTimeout());
                    }
                })).replaceWithVoid();
                case REFUSED -> report(id);
                case LAUNCHED -> report(id).chain(() -> act(session)).chain(() -> look(session)).chain(() -> report(id));
            };
        });
    }

    /** Sends a pending delete, or the kill once its grace period is over. */
    private Uni<Void> act(SessionEntity session) {
        Instant now = time.now();
        if (session.status.isFinal()) {
            return Uni.createFrom().voidItem();
        }
        if (session.deleteRequested() && session.terminateSentAt == null) {
            LOG.infof("ending session %s", session.id);
            Duration grace = backend.killGrace();
            return backend.terminate(ref(session)).chain(() -> update(session.id, row -> {
                row.terminateSentAt = now;
                row.killAt = grace == null ? null : now.plus(grace);
            })).replaceWithVoid();
        }
        if (session.killAt != null && !session.killAt.isAfter(now)) {
            LOG.infof("session %s outlived its grace period; killing it", session.id);
            return backend.kill(ref(session)).chain(() -> update(session.id, row -> row.killAt = null)).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    /** Looks at the session on its platform and records what changed. */
    private Uni<Void> look(SessionEntity before) {
        if (before.status.isFinal()) {
            return Uni.createFrom().voidItem();
        }
        return backend.observe(ref(before))
                .chain(seen -> Failures.inTransaction(() -> sessions.findById(before.id).chain(row -> apply(row, seen))))
                .chain(this::renewIfDue);
    }

    private Uni<SessionEntity> apply(SessionEntity row, Observation seen) {
        Instant now = time.now();
        SessionStatus was = row.status;
        SessionStatus next = StatusRules.next(was, row.deleteRequested(), seen);
        boolean changed = next != was;
        row.status = next;
        if (seen.startTime() != null) {
            row.startTime = seen.startTime();
        }
        if (seen.connectUrl() != null) {
            row.connectUrl = seen.connectUrl();
        }
        if (seen.exitStatus() != null && next.isFinal()) {
            row.exitStatus = seen.exitStatus();
        }
        if (seen.expiry() != null) {
            row.expiryTime = seen.expiry();
        }
        if (changed) {
            row.message = message(next, row.deleteRequested(), seen);
        }
        Uni<Void> estimate = Uni.createFrom().voidItem();
        if (next == SessionStatus.Running && row.runningAt == null) {
            row.runningAt = now;
            // The platform's start time when it is plausible (clocks differ), else when we saw it running.
            Instant running = row.startTime != null && !row.startTime.isBefore(row.createdAt)
                    && row.startTime.isBefore(now) ? row.startTime : now;
            Duration startup = Duration.between(row.createdAt, running);
            estimate = estimates.observe(row.backend, row.image, startup, config.quote().window(), now);
        }
        if (next.isFinal()) {
            row.endedAt = row.endedAt == null ? now : row.endedAt;
            row.killAt = null;
        }
        Duration interval = backend.backoff().next(row.pollIntervalMs == null ? null : Duration.ofMillis(row.pollIntervalMs),
                changed);
        row.pollIntervalMs = interval.toMillis();
        row.nextPollAt = next.isFinal() ? now : earliest(now.plus(interval), row.killAt);
        return estimate.replaceWith(row);
    }

    private static String message(SessionStatus next, boolean deleted, Observation seen) {
        if (!next.isFinal()) {
            // Held at Running on the way to an end: the end's message comes with the end.
            return seen.status() != null && seen.status().isFinal() ? null : seen.message();
        }
        if (next == SessionStatus.Terminated && deleted) {
            return seen.message() == null ? "deleted" : "deleted: " + seen.message();
        }
        return seen.message();
    }

    /** Keeps a platform session alive while its booking runs past the platform's expiry. */
    private Uni<Void> renewIfDue(SessionEntity row) {
        Instant now = time.now();
        boolean due = row.status == SessionStatus.Running && !row.deleteRequested() && row.expiryTime != null
                && !row.expiryTime.minus(config.skaha().renewMargin()).isAfter(now)
                && (row.until == null || row.expiryTime.isBefore(row.until));
        if (!due) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("renewing session %s (expires %s, booked until %s)", row.id, row.expiryTime, row.until);
        return backend.renew(ref(row))
                .chain(expiry -> expiry == null ? Uni.createFrom().voidItem()
                        : update(row.id, fresh -> fresh.expiryTime = expiry).replaceWithVoid())
                .onFailure().invoke(failure -> LOG.warnf("could not renew session %s: %s", row.id, failure.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Publishes an unreported status, answers delete tasks of an ended session, and stops watching when done. */
    private Uni<Void> report(String id) {
        return Panache.withSession(() -> sessions.findById(id)).chain(row -> {
            if (row == null) {
                return Uni.createFrom().voidItem();
            }
            Uni<Void> event = Uni.createFrom().voidItem();
            if (row.launchState == LaunchState.LAUNCHED && row.status != row.reportedStatus) {
                SessionStatus published = row.status;
                event = reports.sessionEvent(row).chain(() -> update(id, fresh -> {
                    if (fresh.status == published) {
                        fresh.reportedStatus = published;
                    }
                })).replaceWithVoid();
            }
            if (!row.status.isFinal()) {
                return event;
            }
            return event.chain(() -> Panache.withSession(() -> sessions.openDeletes(id)))
                    .chain(open -> answer(row, open))
                    .chain(() -> update(id, fresh -> {
                        if (fresh.status.isFinal() && (fresh.launchState != LaunchState.LAUNCHED
                                || fresh.status == fresh.reportedStatus)) {
                            fresh.nextPollAt = null;
                        }
                    }))
                    .replaceWithVoid();
        });
    }

    private Uni<Void> answer(SessionEntity row, List<DeleteTaskEntity> open) {
        DeleteResult result = new DeleteResult(row.id, row.status, row.exitStatus);
        return Multi.createFrom().iterable(open)
                .onItem().transformToUniAndConcatenate(task -> reports.deleteCompleted(task.taskId, task.correlationId, result)
                        .chain(() -> Failures.inTransaction(() -> DeleteTaskEntity.<DeleteTaskEntity>findById(task.taskId)
                                .invoke(fresh -> fresh.reported = true))))
                .collect().asList().replaceWithVoid();
    }

    /** After a failure: look again later, with the back-off. */
    private Uni<Void> postpone(String id) {
        return update(id, row -> {
            Duration interval = backend.backoff().next(row.pollIntervalMs == null ? null
                    : Duration.ofMillis(row.pollIntervalMs), false);
            row.pollIntervalMs = interval.toMillis();
            if (row.nextPollAt != null) {
                row.nextPollAt = time.now().plus(interval.compareTo(RETRY_REPORT) < 0 ? RETRY_REPORT : interval);
            }
        }).replaceWithVoid().onFailure().recoverWithNull();
    }

    private Uni<SessionEntity> update(String id, Consumer<SessionEntity> change) {
        return Failures.inTransaction(() -> sessions.findById(id).invoke(row -> {
            if (row != null) {
                change.accept(row);
            }
        }));
    }

    private static Instant earliest(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }

    static SessionRef ref(SessionEntity row) {
        return SessionLauncher.ref(row);
    }
}
