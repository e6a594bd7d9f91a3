package orrery.staging.tasks;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.staging.Checks;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.StagingItem;
import orrery.model.staging.TransferTask;
import orrery.model.task.TaskState;
import orrery.model.time.TimeSource;
import orrery.staging.config.StagingConfig;
import orrery.staging.domain.SessionPaths;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.TransferRate;
import orrery.staging.storage.StagingStore;
import orrery.staging.store.StagingTaskEntity;
import orrery.staging.store.StagingTasks;
import orrery.staging.transfer.TransferEngine;
import orrery.staging.transfer.TransferOutcome;
import orrery.staging.transfer.TransferSpec;
import orrery.support.messaging.SafeContexts;
import orrery.support.messaging.TaskEventPublisher;
import orrery.support.time.Periodic;
import org.jboss.logging.Logger;

/**
 * Owns the life of every staging task: accepts commands idempotently by task id, runs them on
 * the {@link TransferEngine}, records progress and results in {@code staging_task}, and reports
 * them on {@code events.task.<taskId>}.
 *
 * <p>A command is acknowledged once its row is written; the row, not the message, is the
 * promise. A running task is leased by this instance and the lease renewed while it runs; if
 * the instance dies, the lease runs out and any instance (a restarted one included) claims the
 * task and resumes it from its partial file. Final reports are re-published until the stream
 * confirms them.
 */
@ApplicationScoped
public class StagingCoordinator {

    private static final Logger LOG = Logger.getLogger(StagingCoordinator.class);

    /** User and execution of the row a cancel leaves for a task it has not seen yet. */
    private static final String TOMBSTONE = "-";

    private final StagingTasks tasks;
    private final TransferEngine engine;
    private final SourcePolicy policy;
    private final StagingStore store;
    private final TaskEventPublisher events;
    private final EnvelopeCodec codec;
    private final TimeSource time;
    private final SafeContexts contexts;
    private final Duration lease;
    private final String me = "staging-" + UUID.randomUUID();
    private final Set<String> directories = ConcurrentHashMap.newKeySet();
    private volatile Periodic housekeeping;

    @Inject
    public StagingCoordinator(StagingTasks tasks, TransferEngine engine, SourcePolicy policy, StagingStore store,
                              TaskEventPublisher events, EnvelopeCodec codec, TimeSource time, SafeContexts contexts,
                              StagingConfig config) {
        this.tasks = tasks;
        this.engine = engine;
        this.policy = policy;
        this.store = store;
        this.events = events;
        this.codec = codec;
        this.time = time;
        this.contexts = contexts;
        this.lease = config.lease();
    }

    void start(@Observes StartupEvent startup) {
        housekeeping = Periodic.every(time, lease.dividedBy(3), "staging housekeeping", this::housekeep);
        housekeep();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (housekeeping != null) {
            housekeeping.close();
        }
    }

    /** Accepts {@code tasks.staging.transfer}; idempotent by task id, refused (409) when the id holds a different command. */
    public Uni<StagingTaskEntity> acceptTransfer(TransferTask task, String correlationId) {
        return acceptTransfer(task, correlationId, null, "task id " + task.taskId());
    }

    /**
     * Accepts a transfer started over REST, whose id the service chose ({@code TransferIds}); the
     * caller's own taskId is kept beside it. A retry with the same content gets the same transfer;
     * the same taskId with different content is a 409.
     */
    public Uni<StagingTaskEntity> acceptRestTransfer(TransferTask task, String clientTaskId) {
        return acceptTransfer(task, task.taskId(), clientTaskId,
                clientTaskId == null ? "transfer id " + task.taskId() : "taskId '" + clientTaskId + "'");
    }

    private Uni<StagingTaskEntity> acceptTransfer(TransferTask task, String correlationId, String clientTaskId, String label) {
        StagingItem item = task.item();
        Command command = new Command("transfer", task.user(), task.executionId(), item.name(), item.url(),
                item.checks().size(), item.checks().md5());
        return accept(task.taskId(), command, label, () -> {
            StagingTaskEntity row = transferRow(task, correlationId, clientTaskId);
            row.targetPath = SessionPaths.file(task.user(), task.executionId(), item.name());
            policy.check(item.url());
            return row;
        }, () -> transferRow(task, correlationId, clientTaskId));
    }

    private StagingTaskEntity transferRow(TransferTask task, String correlationId, String clientTaskId) {
        StagingTaskEntity row = newRow(task.taskId(), "transfer", task.user(), task.executionId(), correlationId);
        StagingItem item = task.item();
        row.clientTaskId = clientTaskId;
        row.itemName = item.name();
        row.itemUrl = item.url();
        row.expectedSize = item.checks().size();
        row.expectedMd5 = item.checks().md5();
        row.bytesTotal = item.checks().size();
        return row;
    }

    /** Accepts {@code tasks.staging.directory}; idempotent by task id, refused (409) when the id holds a different command. */
    public Uni<StagingTaskEntity> acceptDirectory(DirectoryTask task, String correlationId) {
        Command command = new Command("directory", task.user(), task.executionId(), null, null, null, null);
        return accept(task.taskId(), command, "task id " + task.taskId(), () -> {
            StagingTaskEntity row = newRow(task.taskId(), "directory", task.user(), task.executionId(), correlationId);
            row.targetPath = SessionPaths.folder(task.user(), task.executionId());
            return row;
        }, () -> newRow(task.taskId(), "directory", task.user(), task.executionId(), correlationId));
    }

    /** What a command asks for: two commands with one task id must agree on all of it. */
    private record Command(String kind, String user, String executionId, String itemName, String itemUrl,
                           Long expectedSize, String expectedMd5) {

        /** The fields in which {@code row} differs from this command (empty: the same command again). */
        List<String> differences(StagingTaskEntity row) {
            List<String> fields = new ArrayList<>();
            if (TOMBSTONE.equals(row.userName) && TOMBSTONE.equals(row.executionId)) {
                return fields; // cancelled before its command came: any command with the id is that command
            }
            differ(fields, "kind", kind, row.kind);
            differ(fields, "user", user, row.userName);
            differ(fields, "executionId", executionId, row.executionId);
            differ(fields, "item.name", itemName, row.itemName);
            differ(fields, "item.url", itemUrl, row.itemUrl);
            differ(fields, "item.checks.size", expectedSize, row.expectedSize);
            differ(fields, "item.checks.md5", expectedMd5, row.expectedMd5);
            return fields;
        }

        private static void differ(List<String> fields, String name, Object mine, Object stored) {
            if (!java.util.Objects.equals(mine, stored)) {
                fields.add(name);
            }
        }
    }

    private static ProblemException conflict(String label, List<String> fields) {
        return new ProblemException(Problem.of("conflict", 409, "The id is taken by a different command",
                label + " is already used by a different command (it differs in " + String.join(", ", fields)
                        + "); a command is repeated with the same id only when its content is the same: "
                        + "use a new id for a new command"));
    }

    /**
     * Cancels a task: a running one stops and removes its partial file; one not seen yet is
     * recorded as cancelled so that its command, if it arrives later, does nothing.
     */
    public Uni<Void> cancel(String taskId, String correlationId) {
        return Panache.withTransaction(() -> tasks.lock(taskId).chain(row -> {
            if (row == null) {
                StagingTaskEntity tombstone = newRow(taskId, "transfer", TOMBSTONE, TOMBSTONE, correlationId);
                tombstone.targetPath = "";
                end(tombstone, TaskState.CANCELLED, "cancelled before it started");
                return tombstone.<StagingTaskEntity>persist();
            }
            if (!TaskState.RUNNING.name().equals(row.state)) {
                return Uni.createFrom().<StagingTaskEntity>nullItem();
            }
            end(row, TaskState.CANCELLED, "cancelled on request");
            return Uni.createFrom().item(row);
        })).chain(row -> {
            engine.cancel(taskId);
            return row == null ? Uni.createFrom().voidItem() : publishFinal(row);
        });
    }

    public Uni<StagingTaskEntity> find(String taskId) {
        return Panache.withSession(() -> tasks.find(taskId));
    }

    private interface RowFactory {
        StagingTaskEntity create();
    }

    private Uni<StagingTaskEntity> accept(String taskId, Command command, String label, RowFactory valid, RowFactory refused) {
        return Panache.withTransaction(() -> tasks.lock(taskId).chain(existing -> {
            if (existing != null) {
                List<String> differences = command.differences(existing);
                if (!differences.isEmpty()) {
                    // Never answered with the stored result: that result belongs to another command.
                    throw conflict(label, differences);
                }
                return Uni.createFrom().item(new Decision(existing, decideFor(existing)));
            }
            StagingTaskEntity row;
            Action action = Action.LAUNCH;
            try {
                row = valid.create();
                row.owner = me;
                row.leaseUntil = time.now().plus(lease);
            } catch (ProblemException refusal) {
                row = refused.create();
                row.targetPath = row.targetPath == null ? "" : row.targetPath;
                end(row, TaskState.FAILED, refusal.getMessage());
                action = Action.PUBLISH_FINAL;
            }
            Action chosen = action;
            return row.<StagingTaskEntity>persist().map(saved -> new Decision(saved, chosen));
        })).chain(decision -> act(decision).replaceWith(decision.row()));
    }

    private Action decideFor(StagingTaskEntity row) {
        if (!TaskState.RUNNING.name().equals(row.state)) {
            return Action.PUBLISH_FINAL;
        }
        if (engine.isRunning(row.taskId) || directories.contains(row.taskId)) {
            return Action.NONE;
        }
        boolean leaseExpired = row.leaseUntil == null || row.leaseUntil.isBefore(time.now());
        if (me.equals(row.owner) || leaseExpired) {
            row.owner = me;
            row.leaseUntil = time.now().plus(lease);
            return Action.LAUNCH;
        }
        return Action.NONE; // another live instance is on it
    }

    private Uni<Void> act(Decision decision) {
        switch (decision.action()) {
            case LAUNCH:
                launch(decision.row());
                return Uni.createFrom().voidItem();
            case PUBLISH_FINAL:
                return publishFinal(decision.row());
            default:
                return Uni.createFrom().voidItem();
        }
    }

    private void launch(StagingTaskEntity row) {
        String taskId = row.taskId;
        if ("directory".equals(row.kind)) {
            directories.add(taskId);
            String folder = row.targetPath;
            engine.onWorker(() -> {
                store.ensureFolder(folder);
                return FinalState.completed();
            }).exceptionally(failure -> FinalState.failed(describe(failure)))
                    .thenAccept(state -> finish(taskId, state).subscribe().with(
                            ignored -> directories.remove(taskId),
                            failure -> {
                                directories.remove(taskId);
                                LOG.errorf(failure, "cannot record the end of task %s", taskId);
                            }));
            return;
        }
        TransferSpec spec = new TransferSpec(taskId, row.targetPath, policy.check(row.itemUrl),
                new Checks(row.expectedSize, row.expectedMd5));
        String host = spec.source().host();
        engine.submit(spec, (done, total) -> progress(taskId, done, total))
                .thenAccept(outcome -> finish(taskId, FinalState.of(outcome))
                        .chain(() -> recordRate(host, outcome))
                        .subscribe().with(ignored -> { }, failure ->
                                LOG.errorf(failure, "cannot record the end of task %s; housekeeping will retry", taskId)));
    }

    private void progress(String taskId, long done, Long total) {
        contexts.run(() -> Panache.withTransaction(() -> tasks.lock(taskId).map(row -> {
            if (row == null || !TaskState.RUNNING.name().equals(row.state) || !me.equals(row.owner)) {
                return null;
            }
            row.sequence++;
            row.bytesDone = done;
            row.bytesTotal = total;
            row.leaseUntil = time.now().plus(lease);
            row.updatedAt = time.now();
            return row;
        }))).chain(row -> {
            if (row == null) {
                if (engine.cancel(taskId)) {
                    LOG.infof("task %s was cancelled or taken over; stopped here", taskId);
                }
                return Uni.createFrom().voidItem();
            }
            return events.publish(TaskReports.progress(row), row.correlationId).replaceWithVoid();
        }).subscribe().with(ignored -> { }, failure -> LOG.debugf("progress report of %s failed: %s", taskId,
                failure.getMessage()));
    }

    private Uni<Void> finish(String taskId, FinalState state) {
        return contexts.run(() -> Panache.withTransaction(() -> tasks.lock(taskId).map(row -> {
            if (row == null || !TaskState.RUNNING.name().equals(row.state) || !me.equals(row.owner)) {
                return null; // cancelled meanwhile, or taken over by another instance
            }
            if (state.file() != null) {
                row.resultSize = state.file().size();
                row.resultMd5 = state.file().md5();
                row.resultSha256 = state.file().sha256();
                row.bytesDone = state.file().size();
            }
            row.transferred = state.transferred();
            end(row, state.state(), state.reason());
            return row;
        }))).chain(row -> row == null ? Uni.createFrom().voidItem() : publishFinal(row));
    }

    private Uni<Void> publishFinal(StagingTaskEntity row) {
        return events.publish(TaskReports.fin(row, codec), row.correlationId)
                .chain(() -> contexts.run(() -> Panache.withTransaction(() ->
                        StagingTaskEntity.update("finalPublished = true where taskId = ?1", row.taskId))))
                .replaceWithVoid();
    }

    private Uni<Void> recordRate(String host, TransferOutcome outcome) {
        if (outcome instanceof TransferOutcome.Completed done && done.transferred()
                && TransferRate.isSample(done.fetched(), done.elapsed())) {
            double sample = TransferRate.sample(done.fetched(), done.elapsed());
            return contexts.run(() -> tasks.recordRate(host, sample, time.now()));
        }
        return Uni.createFrom().voidItem();
    }

    /** Renews leases, resumes orphaned tasks, re-publishes unconfirmed final reports. */
    private void housekeep() {
        Instant now = time.now();
        List<String> mine = new ArrayList<>(engine.runningTaskIds());
        mine.addAll(directories);
        contexts.run(() -> tasks.renewLeases(me, mine, now.plus(lease))
                        .chain(() -> tasks.claimOrphans(me, now, now.plus(lease), 20))
                        .chain(claimed -> resume(claimed))
                        .chain(() -> Panache.withSession(() -> tasks.unpublishedFinals(50)))
                        .chain(rows -> Uni.join().all(rows.stream().map(this::publishFinal).toList()).andCollectFailures()
                                .onItem().ignore().andContinueWithNull()
                                .onFailure().recoverWithNull().replaceWithVoid()))
                .subscribe().with(ignored -> { }, failure -> LOG.warnf("staging housekeeping: %s", failure.getMessage()));
    }

    private Uni<Void> resume(List<String> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LOG.infof("resuming %d staging task(s) whose owner stopped: %s", claimed.size(), claimed);
        return Panache.withSession(() -> StagingTaskEntity.<StagingTaskEntity>list("taskId in ?1", claimed))
                .invoke(rows -> rows.forEach(row -> {
                    if (!engine.isRunning(row.taskId)) {
                        launch(row);
                    }
                }))
                .replaceWithVoid();
    }

    private StagingTaskEntity newRow(String taskId, String kind, String user, String executionId, String correlationId) {
        StagingTaskEntity row = new StagingTaskEntity();
        row.taskId = taskId;
        row.kind = kind;
        row.userName = user;
        row.executionId = executionId;
        row.correlationId = correlationId;
        row.state = TaskState.RUNNING.name();
        row.sequence = 0;
        row.createdAt = time.now();
        row.updatedAt = row.createdAt;
        return row;
    }

    private void end(StagingTaskEntity row, TaskState state, String reason) {
        row.state = state.name();
        row.reason = reason;
        row.sequence++;
        row.owner = null;
        row.leaseUntil = null;
        row.finalPublished = false;
        row.updatedAt = time.now();
        if (row.createdAt == null) {
            row.createdAt = row.updatedAt;
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private enum Action { LAUNCH, PUBLISH_FINAL, NONE }

    private record Decision(StagingTaskEntity row, Action action) {
    }
}
