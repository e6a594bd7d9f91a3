package orrery.deps.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import orrery.deps.config.DependencyManagerConfig;
import orrery.deps.domain.ArtefactGraph;
import orrery.deps.domain.RuleBook;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * What the service holds in memory, the artefact graph, the builders' rules and the builds
 * (recent, queued, running), and the one lock that guards all of it.
 *
 * <p><b>Concurrency: one lock, effects after.</b> Every read or change of this state is a short
 * critical section ({@link #locked}) that only touches memory: no waiting and no blocking I/O. A
 * change returns what has to happen next ({@link Effects}: tasks to send, events to publish, builds
 * to record; the graph's own changes wait in its dirty set), and {@link Settlement} carries that
 * out once the lock is released, as Mutiny {@code Uni}s, the form every I/O call of Quarkus and
 * service-support has. Nothing else guards state or orders work: no second lock, no
 * {@code CompletableFuture}; the order of the database writes is kept by {@link WriteQueue}, whose
 * bookkeeping is guarded by this same lock.
 *
 * <p>Why a lock rather than an actor (one event loop owning the state): calls come from every kind
 * of thread (Vert.x event loops for REST and the durable consumers, the NATS dispatcher for rule
 * announcements, the time source's threads for task time-outs), some answers must be given at once
 * (the 404 of an event stream before the stream opens, a consumer's "still loading"), and every
 * critical section is microseconds of work on in-memory structures. One monitor is the simplest
 * correct way to serialise them and costs nothing measurable; an actor would make every read
 * asynchronous and still need the writes ordered.
 *
 * <p>{@link #graph()}, {@link #rules()} and {@link #builds()} check that the caller holds the lock.
 */
@ApplicationScoped
public class BuildState {

    private final ArtefactGraph graph = new ArtefactGraph();
    private final RuleBook rules = new RuleBook();
    private final Builds builds;
    private volatile boolean loaded;

    @Inject
    public BuildState(DependencyManagerConfig config) {
        this.builds = new Builds(config.recentBuilds());
    }

    /** Runs {@code work} under the lock and returns what it answers. */
    public synchronized <T> T locked(Supplier<T> work) {
        return work.get();
    }

    /** Runs {@code work} under the lock. */
    public synchronized void locked(Runnable work) {
        work.run();
    }

    ArtefactGraph graph() {
        return guarded(graph);
    }

    RuleBook rules() {
        return guarded(rules);
    }

    Builds builds() {
        return guarded(builds);
    }

    /** True once the graph has been loaded from the database (messages wait until then). */
    public boolean isLoaded() {
        return loaded;
    }

    void markLoaded() {
        loaded = true;
    }

    /** A 503 {@code starting} while the graph is still being loaded. */
    void requireLoaded() {
        if (!loaded) {
            throw new ProblemException(Problem.of("starting", 503, "Starting", "the graph is still being loaded"));
        }
    }

    private <T> T guarded(T part) {
        if (!Thread.holdsLock(this)) {
            throw new IllegalStateException("the build state is used under its lock only (BuildState.locked)");
        }
        return part;
    }
}
