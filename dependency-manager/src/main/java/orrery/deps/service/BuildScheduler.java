package orrery.deps.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import orrery.deps.config.DependencyManagerConfig;
import orrery.deps.domain.Artefact;
import orrery.deps.domain.ArtefactState;
import orrery.deps.domain.BuildAccess;
import orrery.deps.domain.BuildEvent;
import orrery.deps.domain.BuildRun;
import orrery.deps.domain.BuildSettings;
import orrery.deps.domain.StepStatus;
import orrery.deps.domain.TaskOrder;
import orrery.deps.domain.TaskOutcome;
import orrery.model.build.ArtefactEvent;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * Runs builds one at a time: starts one (by itself when files change, or on request), feeds it
 * what happens (changes, reports, time-outs), streams its events, and when it ends records it and
 * starts the next. A requested build waits for the running one; a change while a build runs is
 * folded into it. Every method but the timer's runs under {@link BuildState}'s lock and answers
 * with the {@link Effects} to carry out after it.
 */
@ApplicationScoped
class BuildScheduler {

    private static final Logger LOG = Logger.getLogger(BuildScheduler.class);

    private final BuildState state;
    private final BuildArchive archive;
    private final ArtefactEventPublisher artefactEvents;
    private final Settlement settlement;
    private final TimeSource time;
    private final DependencyManagerConfig config;
    private final TaskTimers timers;

    @Inject
    BuildScheduler(BuildState state, BuildArchive archive, ArtefactEventPublisher artefactEvents, Settlement settlement,
                   TimeSource time, DependencyManagerConfig config) {
        this.state = state;
        this.archive = archive;
        this.artefactEvents = artefactEvents;
        this.settlement = settlement;
        this.time = time;
        this.config = config;
        this.timers = new TaskTimers(time);
    }

    /** Files changed: what they affect is checked again in the running build, or a build starts (auto-build). */
    Effects changed(Set<Artefact> changed) {
        Effects effects = new Effects();
        BuildRecord running = state.builds().running();
        if (changed.isEmpty()) {
            return effects;
        }
        if (running != null) {
            stepped(running, running.run.changed(changed), effects);
        } else if (config.autoBuild()) {
            start(newRecord(null, BuildAccess.SYSTEM_TRIGGER, null), changed, effects);
        }
        return effects;
    }

    /** A builder's report: applied if it is on a task of the running build, ignored (empty) if not. */
    Optional<Effects> reported(String taskId, TaskOutcome outcome) {
        Optional<BuildRecord> running = state.builds().runningWithTask(taskId);
        if (running.isEmpty()) {
            LOG.debugf("ignoring a report on %s: not a task of the running build", taskId);
            return Optional.empty();
        }
        timers.cancel(taskId);
        Effects effects = new Effects();
        stepped(running.get(), running.get().run.completed(taskId, outcome), effects);
        return Optional.of(effects);
    }

    /** A build of {@code target} for {@code owner}: started now, or queued behind the running one. */
    BuildRecord requested(Artefact target, String owner, Effects effects) {
        BuildRecord record = newRecord(target, "request", owner);
        if (state.builds().running() == null) {
            start(record, List.of(), effects);
        } else {
            state.builds().enqueue(record);
            effects.then(archive.save(record));
        }
        return record;
    }

    /** With auto-build on and nothing running, builds the artefacts never built yet (rules made them known). */
    Effects newArtefacts() {
        Effects effects = new Effects();
        buildNewArtefacts(effects);
        return effects;
    }

    /** A task's timer went off (on the time source's thread): the task counts as failed. */
    private void timedOut(String taskId) {
        Optional<Effects> effects = state.locked(() -> state.builds().runningWithTask(taskId).map(running -> {
            timers.forget(taskId);
            Effects after = new Effects();
            stepped(running, running.run.completed(taskId,
                    TaskOutcome.failed("no builder reported within " + config.taskTimeout(), null)), after);
            return after;
        }));
        effects.ifPresent(after -> settlement.settle(after).subscribe().with(ok -> { },
                failure -> LOG.warn("after a task timeout", failure)));
    }

    private void start(BuildRecord record, Collection<Artefact> changed, Effects effects) {
        record.run = new BuildRun(record.id, state.graph(), new BuildSettings(config.maxParallel(), config.maxRounds()));
        record.phase = BuildRecord.Phase.RUNNING;
        state.builds().started(record);
        List<TaskOrder> orders = record.run.start(changed, record.target);
        effects.then(archive.save(record));
        stepped(record, orders, effects);
    }

    /** After the run moved and gave {@code orders}: stream its events, time and send its tasks, end it if it is over. */
    private void stepped(BuildRecord record, List<TaskOrder> orders, Effects effects) {
        Instant now = time.now();
        streamEvents(record, now, effects);
        effects.send(orders);
        orders.forEach(order -> timers.start(order.taskId(), config.taskTimeout(), this::timedOut));
        if (record.run.isFinished()) {
            finish(record, now, effects);
            startNext(effects);
        }
    }

    /** The run's new events to its followers; an artefact a build changed is announced. */
    private void streamEvents(BuildRecord record, Instant now, Effects effects) {
        for (BuildEvent event : record.run.drainEvents()) {
            record.events.emit(BuildViews.event(record.id, event, now));
            if (event.kind() == BuildEvent.Kind.BUILT && event.changed()) {
                state.graph().byId(event.artefactId()).ifPresent(a -> effects.then(announce(a, record)));
            }
        }
    }

    /** The run ended: its phase, its followers' streams end, its failed artefacts are announced, it is recorded. */
    private void finish(BuildRecord record, Instant now, Effects effects) {
        record.phase = record.run.state() == BuildRun.State.SUCCEEDED ? BuildRecord.Phase.SUCCEEDED
                : BuildRecord.Phase.FAILED;
        record.finishedAt = now;
        record.events.close();
        record.run.steps().stream().filter(step -> step.status() == StepStatus.FAILED)
                .forEach(step -> effects.then(announce(step.artefact(), record)));
        effects.then(archive.save(record));
        LOG.infof("build %s %s", record.id, record.phase);
        state.builds().ended();
    }

    /** The build that waits longest, or else (auto-build) what was never built. */
    private void startNext(Effects effects) {
        BuildRecord next = state.builds().next();
        if (next != null) {
            start(next, List.of(), effects);
        } else if (config.autoBuild()) {
            buildNewArtefacts(effects);
        }
    }

    private void buildNewArtefacts(Effects effects) {
        if (state.builds().running() != null || !config.autoBuild()) {
            return;
        }
        List<Artefact> fresh = state.graph().all().stream()
                .filter(a -> a.isDerived() && a.state() == ArtefactState.NEW && a.lastBuildId() == null).toList();
        if (!fresh.isEmpty()) {
            start(newRecord(null, BuildAccess.SYSTEM_TRIGGER, null), fresh, effects);
        }
    }

    private BuildRecord newRecord(Artefact target, String trigger, String owner) {
        BuildRecord record = new BuildRecord("b-" + UUID.randomUUID(), target, trigger, owner, time.now());
        state.builds().add(record);
        return record;
    }

    private Uni<Void> announce(Artefact a, BuildRecord record) {
        return artefactEvents.publish(new ArtefactEvent(a.id(), a.root(), a.path(), a.sha256(), null, a.state().name(),
                record.id));
    }
}
