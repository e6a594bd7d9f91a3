package orrery.deps.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import orrery.deps.domain.Artefact;
import orrery.deps.domain.ArtefactGraph;
import orrery.deps.domain.ArtefactState;
import orrery.deps.store.ArtefactRow;

/** Rebuilds the in-memory graph from stored rows, as it was when they were written. */
public final class GraphRestore {

    private GraphRestore() {
    }

    public static void apply(ArtefactGraph graph, List<ArtefactRow> rows) {
        Map<String, Artefact> byId = new HashMap<>();
        for (ArtefactRow row : rows) {
            byId.put(row.id(), graph.ensure(row.root(), row.path()));
        }
        for (ArtefactRow row : rows) {
            Artefact artefact = byId.get(row.id());
            if (row.builder() != null) {
                List<Artefact> inputs = row.inputIds().stream().map(byId::get).toList();
                graph.restoreDefinition(artefact, row.builder(), row.recipe(), row.rule(), inputs);
            }
            graph.restore(artefact, row.sha256(), ArtefactState.valueOf(row.state()), row.staleVersion(),
                    row.lastBuildId(), row.lastTaskId(), row.lastLog(), row.failure());
        }
        graph.drainDirty();
    }
}
