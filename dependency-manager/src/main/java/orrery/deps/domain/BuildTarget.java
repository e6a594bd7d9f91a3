package orrery.deps.domain;

import orrery.model.build.RelativePaths;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * A build target named as {@code root/path}: a root that is a subject token (the fs-watcher's root
 * names) and a clean relative path inside it.
 */
public record BuildTarget(String root, String path) {

    /** {@code target} as root and path, or a 400 {@code invalid-target} that says what is wrong. */
    public static BuildTarget parse(String target) {
        int slash = target.indexOf('/');
        if (slash <= 0 || !Subjects.isToken(target.substring(0, slash))) {
            throw invalid("target '" + target + "' must be an artefact id or root/path, e.g. papers/paper.pdf");
        }
        String path = target.substring(slash + 1);
        try {
            RelativePaths.require(path, "target path");
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        return new BuildTarget(target.substring(0, slash), path);
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.of("invalid-target", 400, "The target is not root/path", detail)
                .with("field", "target"));
    }
}
