package orrery.staging.domain;

import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/** The ways a staging request can be refused, each with a stable problem type. */
public final class StagingRefusals {

    private StagingRefusals() {
    }

    public static ProblemException badPath(String detail) {
        return new ProblemException(Problem.of("invalid-path", 400, "The file or folder name is not allowed", detail));
    }

    public static ProblemException badUser(String detail) {
        return new ProblemException(Problem.of("invalid-user", 400, "The user name is not allowed", detail));
    }

    public static ProblemException badExecutionId(String detail) {
        return new ProblemException(Problem.of("invalid-execution-id", 400, "The execution id is not allowed", detail));
    }

    public static ProblemException disallowedSource(String detail) {
        return new ProblemException(Problem.of("disallowed-source", 400, "The source URL is not allowed", detail));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of("forbidden", 403, "Not your folder", detail));
    }
}
