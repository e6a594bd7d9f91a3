package orrery.deps.service;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import orrery.deps.domain.FileChanges;
import orrery.deps.domain.TaskOutcome;
import orrery.deps.store.ArtefactRow;
import orrery.deps.store.GraphRestore;
import orrery.deps.store.GraphStore;
import orrery.model.build.BuildTask;
import orrery.model.build.RuleAnnouncement;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.fs.FsChangeKind;
import orrery.model.fs.FsEvent;
import orrery.model.task.TaskEvent;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * What comes in as messages: settled file changes, builders' reports and rule announcements. Each
 * is applied to the graph and to the running build in one short critical section
 * ({@link BuildState}), and what that decided is carried out after ({@link Settlement}), so a
 * message is acknowledged only once what it changed is written. The graph is loaded before any
 * message is taken.
 */
@ApplicationScoped
public class BuildCoordinator {

    private static final Logger LOG = Logger.getLogger(BuildCoordinator.class);

    private final BuildState state;
    private final BuildScheduler scheduler;
    private final Settlement settlement;
    private final GraphStore store;
    private final EnvelopeCodec codec;
    private final TimeSource time;

    @Inject
    BuildCoordinator(BuildState state, BuildScheduler scheduler, Settlement settlement, GraphStore store,
                     EnvelopeCodec codec, TimeSource time) {
        this.state = state;
        this.scheduler = scheduler;
        this.settlement = settlement;
        this.store = store;
        this.codec = codec;
        this.time = time;
    }

    /** Loads the graph before messages are taken (their consumers wait for {@link #isLoaded()}). */
    void load(@Observes @Priority(10) StartupEvent startup) {
        List<ArtefactRow> rows = store.loadAll().await().atMost(Duration.ofMinutes(2));
        int interrupted = store.markInterrupted(time.now()).await().atMost(Duration.ofSeconds(30));
        state.locked(() -> GraphRestore.apply(state.graph(), rows));
        state.markLoaded();
        LOG.infof("loaded %d artefacts; %d builds were interrupted by the last stop", rows.size(), interrupted);
    }

    public boolean isLoaded() {
        return state.isLoaded();
    }

    /** A settled file change from the fs-watcher. */
    public Uni<Void> fileChanged(FsEvent event) {
        FileChanges.requireRoot(event);
        if (event.kind() == FsChangeKind.APPENDED) {
            return Uni.createFrom().voidItem(); // a growing log is followed, not built from
        }
        return settlement.settle(state.locked(
                () -> scheduler.changed(FileChanges.apply(state.graph(), state.rules(), event))));
    }

    /** A builder's report on a build task. Reports of other kinds of task, or of tasks not out, are ignored. */
    public Uni<Void> taskReported(TaskEvent event) {
        if (!BuildTask.KIND.equals(event.kind()) || !event.state().isFinal()) {
            return Uni.createFrom().voidItem();
        }
        TaskOutcome outcome = TaskReports.outcome(event, codec.mapper());
        Optional<Effects> effects = state.locked(() -> scheduler.reported(event.taskId(), outcome));
        return effects.map(settlement::settle).orElseGet(() -> Uni.createFrom().voidItem());
    }

    /** A builder announced its rules: learn them, and build what they newly make buildable. */
    public Uni<Void> rulesAnnounced(RuleAnnouncement announcement) {
        Optional<Effects> effects = state.locked(() -> {
            if (!state.rules().announce(announcement)) {
                return Optional.empty();
            }
            LOG.infof("builder %s offers %d rules", announcement.builder(), announcement.rules().size());
            state.graph().expandAll(state.rules());
            return Optional.of(scheduler.newArtefacts());
        });
        return effects.map(settlement::settle).orElseGet(() -> Uni.createFrom().voidItem());
    }
}
