package orrery.staging.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import orrery.model.time.TimeSource;
import orrery.staging.config.StagingConfig;
import orrery.staging.service.transfer.TransferEngine;
import orrery.staging.store.StagingTaskEntity;

/**
 * This instance's hold on running tasks. A running task is leased by one instance, named in the
 * row's {@code owner}, which renews the lease while the task runs here; once a lease runs out (its
 * instance died), any instance may take the task over and resume it.
 */
@ApplicationScoped
class TaskLeases {

    private final String me = "staging-" + UUID.randomUUID();
    private final Duration lease;
    private final TimeSource time;
    private final TransferEngine engine;
    private final Set<String> directories = ConcurrentHashMap.newKeySet();

    @Inject
    TaskLeases(StagingConfig config, TimeSource time, TransferEngine engine) {
        this.lease = config.lease();
        this.time = time;
        this.engine = engine;
    }

    /** This instance's name in the rows it owns. */
    String me() {
        return me;
    }

    Duration length() {
        return lease;
    }

    /** When a lease taken or renewed now runs out. */
    Instant until() {
        return time.now().plus(lease);
    }

    /** Takes (or renews) the lease on {@code row} for this instance. */
    void claim(StagingTaskEntity row) {
        row.owner = me;
        row.leaseUntil = until();
    }

    boolean isMine(StagingTaskEntity row) {
        return me.equals(row.owner);
    }

    /** Whether this instance may run {@code row}: it owns it already, or its owner's lease ran out. */
    boolean mayTake(StagingTaskEntity row) {
        return isMine(row) || row.leaseUntil == null || row.leaseUntil.isBefore(time.now());
    }

    /** Whether the task runs (or waits to run) here now. */
    boolean runsHere(String taskId) {
        return engine.isRunning(taskId) || directories.contains(taskId);
    }

    /** The tasks running here, whose leases to renew. */
    List<String> runningHere() {
        List<String> mine = new ArrayList<>(engine.runningTaskIds());
        mine.addAll(directories);
        return mine;
    }

    void directoryStarted(String taskId) {
        directories.add(taskId);
    }

    void directoryEnded(String taskId) {
        directories.remove(taskId);
    }
}
