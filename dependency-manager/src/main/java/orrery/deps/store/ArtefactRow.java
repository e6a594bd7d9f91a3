package orrery.deps.store;

import java.util.List;
import orrery.deps.domain.Artefact;

/** An artefact as stored: a copy taken under the service's lock, written later without it. */
public record ArtefactRow(String id, String root, String path, String sha256, String state, String builder,
                          String recipe, String rule, long staleVersion, String lastBuildId, String lastTaskId,
                          String lastLog, String failure, List<String> inputIds) {

    public static ArtefactRow of(Artefact artefact) {
        return new ArtefactRow(artefact.id(), artefact.root(), artefact.path(), artefact.sha256(),
                artefact.state().name(), artefact.builder(), artefact.recipe(), artefact.rule(),
                artefact.staleVersion(), artefact.lastBuildId(), artefact.lastTaskId(), artefact.lastLog(),
                artefact.failure(), artefact.inputs().stream().map(Artefact::id).toList());
    }
}
