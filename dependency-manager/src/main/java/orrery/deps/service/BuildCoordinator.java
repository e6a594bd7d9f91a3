package orrery.deps.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import orrery.deps.api.ArtefactView;
import orrery.deps.api.BuildEventView;
import orrery.deps.api.BuildView;
import orrery.deps.api.GraphView;
import orrery.deps.domain.Artefact;
import orrery.deps.domain.ArtefactGraph;
import orrery.deps.domain.ArtefactState;
import orrery.deps.domain.BuildEvent;
import orrery.deps.domain.BuildRun;
import orrery.deps.domain.BuildSettings;
import orrery.deps.domain.RuleBook;
import orrery.deps.domain.StepStatus;
import orrery.deps.domain.TaskOrder;
import orrery.deps.domain.TaskOutcome;
import orrery.deps.messaging.ArtefactEventPublisher;
import orrery.deps.messaging.TaskDispatcher;
import orrery.deps.store.ArtefactRow;
import orrery.deps.store.BuildRow;
import orrery.deps.store.GraphStore;
import orrery.model.build.ArtefactEvent;
import orrery.model.build.BuildResult;
import orrery.model.build.BuildTask;
import orrery.model.build.HowToReply;
import orrery.model.build.HowToRequest;
import orrery.model.build.RelativePaths;
import orrery.model.build.RuleAnnouncement;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.fs.FsEvent;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.task.TaskEvent;
import orrery.model.time.TimeSource;
import orrery.support.messaging.NatsRequestReply;
import org.jboss.logging.Logger;

/**
 * Holds the artefact graph and the rule book, and drives builds: file changes, builder reports
 * and build requests come in here, and tasks go out. One build runs at a time; a file change
 * during it is folded into it, a requested build waits its turn.
 *
 * <p>Every change to the graph happens under this object's lock and is quick (no I/O); the
 * store writes and the task sends happen after, outside it. A message is acknowledged only once
 * what it changed has been written.
 */
@ApplicationScoped
public class BuildCoordinator {

    private static final Logger LOG = Logger.getLogger(BuildCoordinator.class);

    private final ArtefactGraph graph = new ArtefactGraph();
    private final RuleBook rules = new RuleBook();
    private final Map<String, BuildRecord> builds = new LinkedHashMap<>();
    private final Deque<BuildRecord> queued = new ArrayDeque<>();
    private final Map<String, TimeSource.Timer> taskTimers = new HashMap<>();
    private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);
    private BuildRecord active;
    private volatile boolean loaded;

    @Inject
    GraphStore store;
    @Inject
    TaskDispatcher dispatcher;
    @Inject
    ArtefactEventPublisher artefactEvents;
    @Inject
    NatsRequestReply requests;
    @Inject
    EnvelopeCodec codec;
    @Inject
    TimeSource time;
    @Inject
    DependencyManagerConfig config;

    /** Loads the graph before messages are taken (their consumers wait for {@link #isLoaded()}). */
    void load(@Observes @Priority(10) StartupEvent startup) {
        List<ArtefactRow> rows = store.loadAll().await().atMost(Duration.ofMinutes(2));
        int interrupted = store.markInterrupted(time.now()).await().atMost(Duration.ofSeconds(30));
        synchronized (this) {
            GraphRestore.apply(graph, rows);
        }
        loaded = true;
        LOG.infof("loaded %d artefacts; %d builds were interrupted by the last stop", rows.size(), interrupted);
    }

    public boolean isLoaded() {
        return loaded;
    }

    // --- what comes in ----------------------------------------------------------------------

    /** A settled file change from the fs-watcher. */
    public Uni<Void> fileChanged(FsEvent event) {
        if (!Subjects.isToken(event.root())) {
            throw refusal("invalid-root", "root '" + event.root() + "' is not a valid root name");
        }
        List<TaskOrder> orders = new ArrayList<>();
        List<Uni<Void>> after = new ArrayList<>();
        synchronized (this) {
            Set<Artefact> changed = new LinkedHashSet<>();
            List<Artefact> seen = new ArrayList<>();
            switch (event.kind()) {
                case APPENDED:
                    return Uni.createFrom().voidItem(); // a growing log is followed, not built from
                case MOVED:
                    if (event.from() != null) {
                        changed.addAll(graph.observe(event.root(), path(event.from(), "from"), null));
                    }
                    // fall through: the file is now at its new path
                case CREATED:
                case MODIFIED:
                    changed.addAll(graph.observe(event.root(), path(event.path(), "path"), event.sha256()));
                    break;
                case DELETED:
                default:
                    changed.addAll(graph.observe(event.root(), path(event.path(), "path"), null));
            }
            graph.find(event.root(), event.path()).ifPresent(seen::add);
            if (!rules.isEmpty()) {
                graph.expand(rules, seen);
            }
            if (!changed.isEmpty()) {
                if (active != null) {
                    orders.addAll(active.run.changed(changed));
                    after.addAll(afterStep(active, orders));
                } else if (config.autoBuild()) {
                    BuildRecord record = newRecord(null, "change", null);
                    orders.addAll(start(record, changed, after));
                }
            }
        }
        return settle(orders, after);
    }

    /** A builder's report on a build task. Reports of other kinds of task, or of tasks not out, are ignored. */
    public Uni<Void> taskReported(TaskEvent event) {
        if (!BuildTask.KIND.equals(event.kind()) || !event.state().isFinal()) {
            return Uni.createFrom().voidItem();
        }
        TaskOutcome outcome = outcome(event);
        List<TaskOrder> orders = new ArrayList<>();
        List<Uni<Void>> after = new ArrayList<>();
        synchronized (this) {
            if (active == null || !active.run.tasksOut().contains(event.taskId())) {
                LOG.debugf("ignoring a report on %s: not a task of the running build", event.taskId());
                return Uni.createFrom().voidItem();
            }
            cancelTimer(event.taskId());
            orders.addAll(active.run.completed(event.taskId(), outcome));
            after.addAll(afterStep(active, orders));
        }
        return settle(orders, after);
    }

    /** A builder announced its rules: learn them, and build what they newly make buildable. */
    public Uni<Void> rulesAnnounced(RuleAnnouncement announcement) {
        List<TaskOrder> orders = new ArrayList<>();
        List<Uni<Void>> after = new ArrayList<>();
        synchronized (this) {
            if (!rules.announce(announcement)) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("builder %s offers %d rules", announcement.builder(), announcement.rules().size());
            graph.expandAll(rules);
            buildNewArtefacts(orders, after);
        }
        return settle(orders, after);
    }

    /** {@code POST /api/v1/builds}: builds {@code target} for {@code owner} now, or after the running build. */
    public Uni<BuildView> requestBuild(String target, String owner) {
        ready();
        Optional<Artefact> known;
        String root;
        String path;
        synchronized (this) {
            known = resolve(target);
            if (known.isEmpty()) {
                int slash = target.indexOf('/');
                if (slash <= 0 || !Subjects.isToken(target.substring(0, slash))) {
                    throw new ProblemException(Problem.of("invalid-target", 400, "The target is not root/path",
                            "target '" + target + "' must be an artefact id or root/path, e.g. papers/paper.pdf")
                            .with("field", "target"));
                }
                root = target.substring(0, slash);
                path = target.substring(slash + 1);
                try {
                    RelativePaths.require(path, "target path");
                } catch (IllegalArgumentException e) {
                    throw new ProblemException(Problem.of("invalid-target", 400, "The target is not root/path",
                            e.getMessage()).with("field", "target"));
                }
                if (!graph.knowsRoot(root)) {
                    // Nothing could be built from it, and every such request would otherwise add nodes to the graph.
                    throw new ProblemException(Problem.of("unknown-target", 404, "Nothing knows this target",
                            "no file of root '" + root + "' is known here, so nothing can be built in it; roots with "
                                    + "files: " + graph.roots().stream().limit(20).toList()));
                }
                if (rules.ruleFor(path).isPresent()) {
                    Artefact artefact = graph.ensure(root, path);
                    graph.expand(rules, List.of(artefact));
                    known = Optional.of(artefact);
                }
            } else {
                root = known.get().root();
                path = known.get().path();
            }
        }
        Uni<Artefact> artefact = known.map(a -> Uni.createFrom().item(a)).orElseGet(() -> askHowTo(root, path));
        return artefact.chain(found -> startRequested(found, owner));
    }

    private Uni<Artefact> askHowTo(String root, String path) {
        return requests.request(Subjects.RULES_HOWTO, MessageTypes.RULES_HOWTO, new HowToRequest(root, path), null,
                        config.howtoTimeout(), HowToReply.class)
                .onFailure(f -> !(f instanceof ProblemException)).transform(failure -> new ProblemException(Problem.of(
                        "unknown-target", 404, "Nothing knows this target",
                        root + "/" + path + " is not a known file and no builder answered how to build it ("
                                + failure.getClass().getSimpleName() + ")")))
                .map(reply -> {
                    synchronized (this) {
                        rules.learn(reply);
                        Artefact artefact = graph.ensure(root, path);
                        graph.expand(rules, List.of(artefact));
                        return artefact;
                    }
                });
    }

    private Uni<BuildView> startRequested(Artefact target, String owner) {
        List<TaskOrder> orders = new ArrayList<>();
        List<Uni<Void>> after = new ArrayList<>();
        BuildView view;
        synchronized (this) {
            if (!target.isDerived()) {
                throw new ProblemException(Problem.of("not-buildable", 422, "Nothing builds this artefact",
                        target.key() + " is a source file (" + target.state() + "): no builder's rule makes it"));
            }
            BuildRecord record = newRecord(target, "request", owner);
            if (active == null) {
                orders.addAll(start(record, List.of(), after));
            } else {
                queued.add(record);
                after.add(saveBuild(record));
            }
            view = Views.build(record);
        }
        return settle(orders, after).replaceWith(view);
    }

    private synchronized void taskTimedOut(String taskId) {
        if (active == null || !active.run.tasksOut().contains(taskId)) {
            return;
        }
        List<Uni<Void>> after = new ArrayList<>();
        List<TaskOrder> orders = new ArrayList<>(active.run.completed(taskId, TaskOutcome.failed(
                "no builder reported within " + config.taskTimeout(), null)));
        taskTimers.remove(taskId);
        after.addAll(afterStep(active, orders));
        settle(orders, after).subscribe().with(ok -> { }, failure -> LOG.warn("after a task timeout", failure));
    }

    // --- what goes out ----------------------------------------------------------------------

    /** Starts {@code record} now; returns its first tasks. Called under the lock. */
    private List<TaskOrder> start(BuildRecord record, Collection<Artefact> changed, List<Uni<Void>> after) {
        record.run = new BuildRun(record.id, graph, new BuildSettings(config.maxParallel(), config.maxRounds()));
        record.phase = BuildRecord.Phase.RUNNING;
        active = record;
        List<TaskOrder> orders = new ArrayList<>(record.run.start(changed, record.target));
        after.add(saveBuild(record));
        after.addAll(afterStep(record, orders));
        return orders;
    }

    /**
     * After the run moved: stream its new events, time its new tasks, and when it ended, record
     * that and start what waits. Called under the lock; {@code orders} may grow.
     */
    private List<Uni<Void>> afterStep(BuildRecord record, List<TaskOrder> orders) {
        List<Uni<Void>> after = new ArrayList<>();
        Instant now = time.now();
        for (BuildEvent event : record.run.drainEvents()) {
            BuildEventView view = Views.event(record.id, event, now);
            record.events.add(view);
            record.listeners.forEach(listener -> listener.emit(view));
            if (event.kind() == BuildEvent.Kind.BUILT && event.changed()) {
                graph.byId(event.artefactId()).ifPresent(a -> after.add(artefactEvents.publish(
                        new ArtefactEvent(a.id(), a.root(), a.path(), a.sha256(), null, a.state().name(), record.id))));
            }
        }
        for (TaskOrder order : orders) {
            taskTimers.computeIfAbsent(order.taskId(), id -> time.scheduleAfter(config.taskTimeout(),
                    () -> taskTimedOut(id)));
        }
        if (record.run.isFinished()) {
            record.phase = record.run.state() == BuildRun.State.SUCCEEDED ? BuildRecord.Phase.SUCCEEDED
                    : BuildRecord.Phase.FAILED;
            record.finishedAt = now;
            record.listeners.forEach(listener -> listener.complete());
            record.listeners.clear();
            for (BuildRun.Step step : record.run.steps()) {
                if (step.status() == StepStatus.FAILED) {
                    Artefact a = step.artefact();
                    after.add(artefactEvents.publish(new ArtefactEvent(a.id(), a.root(), a.path(), a.sha256(), null,
                            a.state().name(), record.id)));
                }
            }
            after.add(saveBuild(record));
            LOG.infof("build %s %s", record.id, record.phase);
            active = null;
            BuildRecord next = queued.poll();
            if (next != null) {
                orders.addAll(start(next, List.of(), after));
            } else if (config.autoBuild()) {
                buildNewArtefacts(orders, after);
            }
        }
        return after;
    }

    /** With auto-build on and nothing running, builds the artefacts never built yet. Called under the lock. */
    private void buildNewArtefacts(List<TaskOrder> orders, List<Uni<Void>> after) {
        if (active != null || !config.autoBuild()) {
            return;
        }
        List<Artefact> fresh = graph.all().stream()
                .filter(a -> a.isDerived() && a.state() == ArtefactState.NEW && a.lastBuildId() == null).toList();
        if (!fresh.isEmpty()) {
            orders.addAll(start(newRecord(null, "change", null), fresh, after));
        }
    }

    /** Writes what changed, then sends the tasks, then the rest (events, build rows). */
    private Uni<Void> settle(List<TaskOrder> orders, List<Uni<Void>> after) {
        Uni<Void> written = persist();
        return written
                .chain(() -> orders.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(orders.stream().map(dispatcher::send).toList()).andFailFast().replaceWithVoid())
                .chain(() -> after.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(after).andCollectFailures().replaceWithVoid());
    }

    /** Writes the graph's changes in order; a failed write is retried with the next one. */
    private Uni<Void> persist() {
        List<ArtefactRow> rows;
        CompletableFuture<Void> write;
        synchronized (this) {
            rows = graph.drainDirty().stream().map(ArtefactRow::of).toList();
            Instant now = time.now();
            write = lastWrite.handle((ok, failure) -> null)
                    .thenCompose(ignored -> rows.isEmpty() ? CompletableFuture.completedFuture(null)
                            : store.save(rows, now).subscribeAsCompletionStage())
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            synchronized (this) {
                                rows.forEach(row -> graph.byId(row.id()).ifPresent(graph::touched));
                            }
                        }
                    });
            lastWrite = write;
        }
        return Uni.createFrom().completionStage(write);
    }

    private Uni<Void> saveBuild(BuildRecord record) {
        BuildView view = Views.build(record);
        JsonObject report = record.isOver() ? new JsonObject(codec.mapper().convertValue(view, Map.class)) : null;
        return store.saveBuild(new BuildRow(record.id, view.target(), record.trigger, record.owner, record.phase.name(),
                        record.createdAt, record.finishedAt, report))
                .onFailure().invoke(failure -> LOG.warnf("cannot record build %s: %s", record.id, failure.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    // --- what is asked ----------------------------------------------------------------------

    public synchronized GraphView graphView() {
        ready();
        return Views.graph(graph);
    }

    public synchronized String dot() {
        ready();
        return Views.dot(graph);
    }

    public synchronized String mermaid() {
        ready();
        return Views.mermaid(graph);
    }

    public synchronized Optional<ArtefactView> artefact(String ref) {
        ready();
        return resolve(ref).map(a -> Views.artefact(graph, a));
    }

    public Uni<Optional<BuildView>> build(String id) {
        synchronized (this) {
            BuildRecord record = builds.get(id);
            if (record != null) {
                return Uni.createFrom().item(Optional.of(Views.build(record)));
            }
        }
        return store.findBuild(id).map(row -> row.map(this::fromRow));
    }

    /** The builds kept in memory (queued, running, recent), newest first. */
    public synchronized List<BuildView> recentBuilds() {
        List<BuildView> views = new ArrayList<>();
        builds.values().forEach(record -> views.add(0, Views.build(record)));
        return views;
    }

    /** A build kept in memory (queued, running or recent), without going to the database. */
    public synchronized Optional<BuildView> recentBuild(String id) {
        return Optional.ofNullable(builds.get(id)).map(Views::build);
    }

    /** The build's events so far, then live ones until it ends; empty if it is not a recent build. */
    public synchronized Optional<Multi<BuildEventView>> events(String id) {
        BuildRecord record = builds.get(id);
        if (record == null) {
            return Optional.empty();
        }
        return Optional.of(Multi.createFrom().emitter(emitter -> {
            synchronized (this) {
                record.events.forEach(emitter::emit);
                if (record.isOver()) {
                    emitter.complete();
                } else {
                    record.listeners.add(emitter);
                    emitter.onTermination(() -> record.listeners.remove(emitter));
                }
            }
        }));
    }

    /** The artefact named by id or by root/path. */
    private Optional<Artefact> resolve(String ref) {
        Optional<Artefact> byId = graph.byId(ref);
        if (byId.isPresent()) {
            return byId;
        }
        int slash = ref.indexOf('/');
        return slash <= 0 ? Optional.empty() : graph.find(ref.substring(0, slash), ref.substring(slash + 1));
    }

    private BuildView fromRow(BuildRow row) {
        if (row.report() != null) {
            try {
                return codec.mapper().treeToValue(codec.mapper().readTree(row.report().encode()), BuildView.class)
                        .withOwner(row.owner());
            } catch (JsonProcessingException e) {
                LOG.warnf("unreadable report of build %s: %s", row.id(), e.getMessage());
            }
        }
        return new BuildView(row.id(), row.target(), row.trigger(), row.owner(), row.state(), row.createdAt(),
                row.finishedAt(), List.of(), List.of());
    }

    // --- helpers ----------------------------------------------------------------------------

    private BuildRecord newRecord(Artefact target, String trigger, String owner) {
        BuildRecord record = new BuildRecord("b-" + UUID.randomUUID(), target, trigger, owner, time.now());
        builds.put(record.id, record);
        while (builds.size() > config.recentBuilds()) {
            String oldest = builds.keySet().iterator().next();
            if (builds.get(oldest) == active || !builds.get(oldest).isOver()) {
                break;
            }
            builds.remove(oldest);
        }
        return record;
    }

    private TaskOutcome outcome(TaskEvent event) {
        BuildResult result = null;
        String unreadable = null;
        if (event.result() != null && !event.result().isNull()) {
            try {
                result = codec.mapper().treeToValue(event.result(), BuildResult.class);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                unreadable = "the builder's result could not be read: " + e.getMessage();
            }
        }
        String log = result == null ? null : tail(result.log(), MAX_LOG);
        if (event.state() == orrery.model.task.TaskState.COMPLETED) {
            if (result == null) {
                return TaskOutcome.failed(unreadable != null ? unreadable : "the builder reported no result", log);
            }
            return TaskOutcome.built(result.targetSha256(), log);
        }
        String reason = event.reason() != null ? head(event.reason(), MAX_REASON) : "the builder reported " + event.state();
        return TaskOutcome.failed(reason, log);
    }

    /** Longest failure reason kept from a builder's report (the rest is cut, marked with …). */
    static final int MAX_REASON = 4096;
    /** Longest end of a log kept from a builder's report (the shell builder sends at most 64 KiB). */
    static final int MAX_LOG = 64 * 1024;

    private static String head(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "…";
    }

    private static String tail(String text, int limit) {
        return text == null || text.length() <= limit ? text : "…" + text.substring(text.length() - limit);
    }

    private void cancelTimer(String taskId) {
        TimeSource.Timer timer = taskTimers.remove(taskId);
        if (timer != null) {
            timer.cancel();
        }
    }

    private void ready() {
        if (!loaded) {
            throw new ProblemException(Problem.of("starting", 503, "Starting", "the graph is still being loaded"));
        }
    }

    private static String path(String path, String field) {
        try {
            return RelativePaths.require(path, field);
        } catch (IllegalArgumentException e) {
            throw refusal("invalid-path", e.getMessage());
        }
    }

    private static ProblemException refusal(String slug, String detail) {
        return new ProblemException(Problem.of(slug, 400, "Unusable file event", detail));
    }
}
