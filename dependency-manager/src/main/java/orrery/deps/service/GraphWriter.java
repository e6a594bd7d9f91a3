package orrery.deps.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import orrery.deps.store.ArtefactRow;
import orrery.deps.store.GraphStore;
import orrery.model.time.TimeSource;

/**
 * Writes the graph's changes to the database in the order they were made, so that a message can
 * be acknowledged once what it changed is written. A failed write puts its artefacts back among
 * the changes, and the next write takes them again.
 */
@ApplicationScoped
class GraphWriter {

    private final BuildState state;
    private final GraphStore store;
    private final TimeSource time;
    private final WriteQueue writes;

    @Inject
    GraphWriter(BuildState state, GraphStore store, TimeSource time) {
        this.state = state;
        this.store = store;
        this.time = time;
        this.writes = new WriteQueue(state);
    }

    /** Writes what changed in the graph so far, after the writes before it; ends once that is written. */
    Uni<Void> flush() {
        return state.locked(() -> {
            List<ArtefactRow> rows = state.graph().drainDirty().stream().map(ArtefactRow::of).toList();
            if (rows.isEmpty()) {
                return writes.drained();
            }
            Instant now = time.now();
            return writes.enqueue(() -> store.save(rows, now).onFailure().invoke(failure -> writeAgain(rows)));
        });
    }

    private void writeAgain(List<ArtefactRow> rows) {
        state.locked(() -> rows.forEach(row -> state.graph().byId(row.id()).ifPresent(state.graph()::touched)));
    }
}
