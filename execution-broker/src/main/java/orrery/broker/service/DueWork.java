package orrery.broker.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
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
 * time, plus a short poll for due times another replica wrote.
 */
@ApplicationScoped
public class DueWork {

    private static final Logger LOG = Logger.getLogger(DueWork.class);
    /** Executions applied per transaction; a full batch means there may be more due at once. */
    private static final int BATCH = 20;

    private final Lifecycle lifecycle;
    private final OutboxRelay relay;
    private final TimeSource time;
    private final SafeContexts contexts;
    private final BrokerConfig.Execution config;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicReference<TimeSource.Timer> timer = new AtomicReference<>();
    private Periodic poll;

    @Inject
    public DueWork(Lifecycle lifecycle, OutboxRelay relay, TimeSource time, SafeContexts contexts, BrokerConfig config) {
        this.lifecycle = lifecycle;
        this.relay = relay;
        this.time = time;
        this.contexts = contexts;
        this.config = config.execution();
    }

    void start(@Observes StartupEvent startup) {
        poll = Periodic.every(time, config.poll(), "due transitions", this::wake);
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

    /** Sets the timer for the earliest due time (the poll covers what other replicas add). */
    private void scheduleNext() {
        contexts.run(() -> Panache.withSession(() -> ExecutionEntity.findNextDue()))
                .subscribe().with(next -> {
                    if (next == null || next.dueAt == null) {
                        return;
                    }
                    TimeSource.Timer previous = timer.getAndSet(time.schedule(next.dueAt, this::wake));
                    if (previous != null) {
                        previous.cancel();
                    }
                }, failure -> LOG.debugf("cannot find the next due time: %s", failure.getMessage()));
    }
}
