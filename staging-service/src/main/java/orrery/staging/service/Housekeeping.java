package orrery.staging.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import orrery.model.time.TimeSource;
import orrery.staging.store.StagingTasks;
import orrery.support.messaging.SafeContexts;
import orrery.support.time.Periodic;
import org.jboss.logging.Logger;

/**
 * Every third of a lease: renews this instance's leases on the tasks it runs, claims running
 * tasks whose owner stopped renewing (with {@code FOR UPDATE SKIP LOCKED}, so two instances never
 * claim the same one) and resumes them from their partial files, and publishes again the final
 * reports the stream has not confirmed.
 */
@ApplicationScoped
class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final int CLAIMS_PER_ROUND = 20;
    private static final int REPUBLISHED_PER_ROUND = 50;

    private final StagingTasks tasks;
    private final TaskLedger ledger;
    private final TaskLeases leases;
    private final TaskRunner runner;
    private final TaskReporter reporter;
    private final SafeContexts contexts;
    private final TimeSource time;
    private volatile Periodic rounds;

    @Inject
    Housekeeping(StagingTasks tasks, TaskLedger ledger, TaskLeases leases, TaskRunner runner, TaskReporter reporter,
                 SafeContexts contexts, TimeSource time) {
        this.tasks = tasks;
        this.ledger = ledger;
        this.leases = leases;
        this.runner = runner;
        this.reporter = reporter;
        this.contexts = contexts;
        this.time = time;
    }

    void start(@Observes StartupEvent startup) {
        rounds = Periodic.every(time, leases.length().dividedBy(3), "staging housekeeping", this::round);
        round();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (rounds != null) {
            rounds.close();
        }
    }

    private void round() {
        Instant now = time.now();
        Instant until = now.plus(leases.length());
        contexts.run(() -> tasks.renewLeases(leases.me(), leases.runningHere(), until)
                        .chain(() -> tasks.claimOrphans(leases.me(), now, until, CLAIMS_PER_ROUND))
                        .chain(this::resume)
                        .chain(() -> ledger.unpublishedFinals(REPUBLISHED_PER_ROUND))
                        .chain(reporter::publishFinals))
                .subscribe().with(ignored -> { }, failure -> LOG.warnf("staging housekeeping: %s", failure.getMessage()));
    }

    private Uni<Void> resume(List<String> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("resuming %d staging task(s) whose owner stopped: %s", claimed.size(), claimed);
        return ledger.listByIds(claimed)
                .invoke(rows -> rows.forEach(row -> {
                    if (!leases.runsHere(row.taskId)) {
                        runner.launch(row);
                    }
                }))
                .replaceWithVoid();
    }
}
