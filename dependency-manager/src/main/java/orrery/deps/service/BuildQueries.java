package orrery.deps.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import orrery.deps.domain.ArtefactGraph;

/**
 * What the REST API reads: the graph (which the caller maps to its records under the lock), the
 * builds kept in memory or, older ones, in the database, and a build's events as a stream.
 */
@ApplicationScoped
public class BuildQueries {

    private final BuildState state;
    private final BuildArchive archive;

    @Inject
    BuildQueries(BuildState state, BuildArchive archive) {
        this.state = state;
        this.archive = archive;
    }

    /**
     * What {@code view} makes of the graph, under the lock: a copy, never the live graph. A 503
     * {@code starting} while the graph is loading.
     */
    public <T> T graph(Function<ArtefactGraph, T> view) {
        state.requireLoaded();
        return state.locked(() -> view.apply(state.graph()));
    }

    /** A build, from memory or else from the database. */
    public Uni<Optional<BuildView>> build(String id) {
        Optional<BuildView> recent = recentBuild(id);
        return recent.isPresent() ? Uni.createFrom().item(recent) : archive.find(id);
    }

    /** The builds kept in memory (queued, running, recent), newest first. */
    public List<BuildView> recentBuilds() {
        return state.locked(() -> state.builds().newestFirst().stream().map(BuildViews::build).toList());
    }

    /** A build kept in memory (queued, running or recent), without going to the database. */
    public Optional<BuildView> recentBuild(String id) {
        return state.locked(() -> state.builds().find(id).map(BuildViews::build));
    }

    /** The build's events so far, then live ones until it ends; empty if it is not a recent build. */
    public Optional<Multi<BuildEventView>> events(String id) {
        return state.locked(() -> state.builds().find(id)).map(record -> Multi.createFrom().emitter(
                emitter -> state.locked(() -> record.events.follow(emitter))));
    }
}
