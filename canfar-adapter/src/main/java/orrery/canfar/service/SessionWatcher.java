package orrery.canfar.service;

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
import java.util.concurrent.atomic.AtomicBoolean;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.store.SessionEntity;
import orrery.canfar.store.SessionEntity.LaunchState;
import orrery.canfar.store.SessionRepository;
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
 *
 * <p>This class schedules the sweeps and takes each due session through its steps:
 * {@link StatusReporting} (publish, answer deletes, stop watching), {@link PendingDeletes} (terminate,
 * kill) and {@link SessionObservations} (look, record, renew); an unconfirmed launch goes back to the
 * {@link SessionLauncher}.
 */
@ApplicationScoped
public class SessionWatcher {

    private static final Logger LOG = Logger.getLogger(SessionWatcher.class);
    /** The shortest pause between sweeps, so that a session that keeps failing cannot spin the loop. */
    private static final Duration MIN_GAP = Duration.ofMillis(100);
    private static final Duration RETRY_REPORT = Duration.ofSeconds(2);

    private final SessionRepository sessions;
    private final SessionBackend backend;
    private final SessionUpdates updates;
    private final PendingDeletes deletes;
    private final SessionObservations observations;
    private final StatusReporting reporting;
    private final Instance<SessionLauncher> launcher;
    private final TimeSource time;
    private final SafeContexts contexts;
    private final CanfarConfig.Watch config;

    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile boolean again;
    private volatile boolean stopped;
    private TimeSource.Timer timer;
    /** A wake for the next session due beyond the idle sweep (on simulated time, the sweep does not stop time). */
    private TimeSource.Timer wake;

    @Inject
    public SessionWatcher(SessionRepository sessions, SessionBackend backend, SessionUpdates updates,
                          PendingDeletes deletes, SessionObservations observations, StatusReporting reporting,
                          Instance<SessionLauncher> launcher, TimeSource time, SafeContexts contexts, CanfarConfig config) {
        this.sessions = sessions;
        this.backend = backend;
        this.updates = updates;
        this.deletes = deletes;
        this.observations = observations;
        this.reporting = reporting;
        this.launcher = launcher;
        this.time = time;
        this.contexts = contexts;
        this.config = config.watch();
    }

    void start(@Observes StartupEvent started) {
        backend.onChange(sessionId -> nudge());
        resume();
    }

    void stop(@Observes ShutdownEvent stopping) {
        stopped = true;
        synchronized (this) {
            cancelTimers();
        }
    }

    private void cancelTimers() {
        if (timer != null) {
            timer.cancel();
        }
        if (wake != null) {
            wake.cancel();
            wake = null;
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
            LOG.warnf("sweep failed, trying again in %s: %s", config.idle(), failure.getMessage());
            finished(time.now().plus(config.idle()));
        });
    }

    private void finished(Instant next) {
        sweeping.set(false);
        if (again) {
            nudge();
            return;
        }
        Instant now = time.now();
        Instant at = nextSweepAt(next, now);
        // A session due is a wake; the idle sweep is only a safety net, which on simulated time runs
        // when time passes it but never makes time stop there. A session due after the idle sweep
        // gets a wake of its own, or simulated time would jump past its change.
        boolean due = next != null && !next.isAfter(now.plus(config.idle()));
        synchronized (this) {
            if (stopped) {
                return;
            }
            cancelTimers();
            timer = due ? time.schedule(at, this::nudge) : time.scheduleBackground(at, this::nudge);
            if (next != null && !due) {
                wake = time.schedule(next, this::nudge);
            }
        }
    }

    /** When the next session is due, but no sooner than {@link #MIN_GAP} and no later than {@code idle} from now. */
    private Instant nextSweepAt(Instant due, Instant now) {
        Instant latest = now.plus(config.idle());
        Instant at = due == null || due.isAfter(latest) ? latest : due;
        Instant soonest = now.plus(MIN_GAP);
        return at.isBefore(soonest) ? soonest : at;
    }

    /** One pass over the due sessions; returns when the next one is due. */
    private Uni<Instant> sweep() {
        Instant now = time.now();
        return Panache.withSession(() -> sessions.findDueIds(now, config.batch()))
                .chain(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(id -> tend(id).onFailure().recoverWithUni(failure -> {
                            LOG.warnf(failure, "could not look after session %s; will try again", id);
                            return postpone(id);
                        }))
                        .collect().asList().replaceWith(ids))
                .chain(ids -> ids.size() >= config.batch() ? Uni.createFrom().item(time.now())
                        : Panache.withSession(sessions::findNextDue));
    }

    /** Whatever is due for one session: settle an unconfirmed launch, or report, act, look and report again. */
    private Uni<Void> tend(String id) {
        return Panache.withSession(() -> sessions.findById(id)).chain(session -> {
            if (session == null || session.nextPollAt == null || session.nextPollAt.isAfter(time.now())) {
                return Uni.createFrom().voidItem();
            }
            return switch (session.launchState) {
                case LAUNCHING -> settleLaunch(session);
                case REFUSED -> reporting.report(id);
                case LAUNCHED -> reporting.report(session).chain(() -> deletes.act(session))
                        .chain(() -> observations.look(session))
                        .chain(looked -> looked == null ? reporting.report(id) : reporting.report(looked));
            };
        });
    }

    /** A launch never confirmed: adopted or failed, or (still in flight) looked at again after the timeout. */
    private Uni<Void> settleLaunch(SessionEntity session) {
        return launcher.get().settleInterrupted(session).chain(() -> updates.update(session.id, row -> {
            if (row.launchState == LaunchState.LAUNCHING) {
                row.nextPollAt = time.now().plus(config.launchTimeout());
            }
        })).replaceWithVoid();
    }

    /** After a failure: look again later, with the back-off. */
    private Uni<Void> postpone(String id) {
        return updates.update(id, row -> {
            Duration interval = backend.backoff().next(row.pollIntervalMs == null ? null
                    : Duration.ofMillis(row.pollIntervalMs), false);
            row.pollIntervalMs = interval.toMillis();
            if (row.nextPollAt != null) {
                row.nextPollAt = time.now().plus(interval.compareTo(RETRY_REPORT) < 0 ? RETRY_REPORT : interval);
            }
        }).replaceWithVoid().onFailure().recoverWithNull();
    }
}
