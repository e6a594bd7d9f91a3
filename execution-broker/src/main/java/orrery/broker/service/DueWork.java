package orrery.broker.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import orrery.broker.config.BrokerConfig;
import orrery.broker.store.ExecutionEntity;
import orrery.model.time.TimeSource;
import orrery.support.messaging.SafeContexts;
import orrery.support.time.Periodic;
import org.jboss.logging.Logger;

/**
 * Applies due transitions. Due times live in the database ({@code execution.due_at}); this bean
 * takes the due rows with {@code FOR UPDATE SKIP LOCKED} (so several replicas share them and a
 * restarted broker resumes at once) and is woken by a TimeSource timer set for the earliest due
 * time, plus a short poll for due times another replica wrote. The poll is one read of the
 * earliest due time (no transaction, no lock): it applies only when something is due, and
 * otherwise moves the timer if another replica wrote an earlier time. On simulated time it runs
 * at every advance, so it must cost little.
 */
@ApplicationScoped
public class DueWork {

    private static final Logger LOG = Logger.getLogger(DueWork.class);
    /** Executions applied per transaction; a full batch means there may be more due at once. */
    private static final int BATCH = 20;
    private static final String EARLIEST_DUE = "SELECT min(due_at) AS due FROM execution WHERE due_at IS NOT NULL";

    private final Lifecycle lifecycle;
    private final OutboxRelay relay;
    private final Pool pool;
    private final TimeSource time;
    private final SafeContexts contexts;
    private final BrokerConfig.Execution config;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicReference<TimeSource.Timer> timer = new AtomicReference<>();
    private Periodic poll;

    @Inject
    public DueWork(Lifecycle lifecycle, OutboxRelay relay, Pool pool, TimeSource time, SafeContexts contexts, BrokerConfig config) {
        this.lifecycle = lifecycle;
        this.relay = relay;
        this.pool = pool;
        this.time = time;
        this.contexts = contexts;
        this.config = config.execution();
    }

    void start(@Observes StartupEvent startup) {
        poll = Periodic.every(time, config.poll(), "due transitions", this::look);
        wake();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (poll != null) {
            poll.close();
        }
        TimeSource.Timer next = timer.get();
        if (next != null) {
            next.cancel();
        }
    }

    /** Looks for due work now (runs are coalesced). */
    public void wake() {
        again.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        contexts.run(this::applyDue).subscribe().with(applied -> {
            running.set(false);
            if (applied > 0) {
                relay.kick();
            }
            if (applied == BATCH || again.get()) {
                wake();
            } else {
                scheduleNext();
            }
        }, failure -> {
            running.set(false);
            LOG.warnf(failure, "due transitions failed; retrying at the next poll");
        });
    }

    private Uni<Integer> applyDue() {
        Instant now = time.now();
        return Panache.withTransaction(() -> ExecutionEntity.lockDue(now, BATCH)
                .chain((List<ExecutionEntity> due) -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(lifecycle::due)
                        .collect().last().replaceWith(due.size())));
    }

    /**
     * A transaction that changed an execution committed, leaving it due at {@code dueAt} (or not
     * due): applies due work if that is now (or a run is under way, which looks again after
     * itself), else only points the timer at the earliest due time, one read instead of a
     * transaction that would find nothing due.
     */
    public void changed(Instant dueAt) {
        if (running.get() || (dueAt != null && !dueAt.isAfter(time.now()))) {
            wake();
        } else {
            scheduleNext();
        }
    }

    /** The poll: applies due work if there is some, else keeps the timer at the earliest due time. */
    private void look() {
        contexts.run(this::earliestDue).subscribe().with(next -> {
            if (next == null) {
                return;
            }
            if (!next.isAfter(time.now())) {
                wake();
            } else {
                setTimer(next, false);
            }
        }, failure -> LOG.debugf("cannot look for due transitions: %s", failure.getMessage()));
    }

    /** Sets the timer for the earliest due time (the poll covers what other replicas add). */
    private void scheduleNext() {
        contexts.run(this::earliestDue).subscribe().with(next -> {
            if (next != null) {
                setTimer(next, true);
            }
        }, failure -> LOG.debugf("cannot find the next due time: %s", failure.getMessage()));
    }

    /** Points the timer at {@code at}; unless {@code always}, only if that is sooner than the timer set (or it has run). */
    private void setTimer(Instant at, boolean always) {
        TimeSource.Timer current = timer.get();
        if (!always && current != null && !current.due().isAfter(at) && current.due().isAfter(time.now())) {
            return;
        }
        TimeSource.Timer previous = timer.getAndSet(time.schedule(at, this::wake));
        if (previous != null) {
            previous.cancel();
        }
    }

    private Uni<Instant> earliestDue() {
        return pool.query(EARLIEST_DUE).execute().map(rows -> {
            Row row = rows.iterator().next();
            OffsetDateTime due = row.getOffsetDateTime("due");
            return due == null ? null : due.toInstant();
        });
    }
}
