package orrery.model.problem;

/** Carries a {@link Problem} from wherever the mistake is found to the REST layer that renders it. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail() != null ? problem.detail() : problem.title());
        this.problem = problem;
    }

    public ProblemException(Problem problem, Throwable cause) {
        super(problem.detail() != null ? problem.detail() : problem.title(), cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
