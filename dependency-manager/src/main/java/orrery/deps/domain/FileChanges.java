package orrery.deps.domain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import orrery.model.build.RelativePaths;
import orrery.model.fs.FsChangeKind;
import orrery.model.fs.FsEvent;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * What a settled file change from the fs-watcher does to the graph: the file's node (and, for a
 * move, the node it left) takes the new hash, and the rules are followed from the file to what
 * builds it and what it is the main input of.
 */
public final class FileChanges {

    private FileChanges() {
    }

    /** Refuses (400 {@code invalid-root}) an event whose root is not a root name. */
    public static void requireRoot(FsEvent event) {
        if (!Subjects.isToken(event.root())) {
            throw refusal("invalid-root", "root '" + event.root() + "' is not a valid root name");
        }
    }

    /**
     * Applies {@code event} and follows {@code rules} from its file. Returns the artefacts whose
     * content really changed (none for {@code APPENDED}: a growing log is followed, not built from).
     */
    public static Set<Artefact> apply(ArtefactGraph graph, RuleBook rules, FsEvent event) {
        if (event.kind() == FsChangeKind.APPENDED) {
            return Set.of();
        }
        Set<Artefact> changed = observe(graph, event);
        if (!rules.isEmpty()) {
            graph.find(event.root(), event.path()).ifPresent(file -> graph.expand(rules, List.of(file)));
        }
        return changed;
    }

    private static Set<Artefact> observe(ArtefactGraph graph, FsEvent event) {
        Set<Artefact> changed = new LinkedHashSet<>();
        if (event.kind() == FsChangeKind.MOVED && event.from() != null) {
            changed.addAll(graph.observe(event.root(), path(event.from(), "from"), null)); // gone from where it was
        }
        boolean present = event.kind() == FsChangeKind.CREATED || event.kind() == FsChangeKind.MODIFIED
                || event.kind() == FsChangeKind.MOVED;
        changed.addAll(graph.observe(event.root(), path(event.path(), "path"), present ? event.sha256() : null));
        return changed;
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
