package orrery.canfar.domain;

import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * The ways a session request is refused for good. Each is a 400 problem with a stable slug; a
 * refused launch task is reported FAILED with the problem's detail as its reason.
 */
public final class Refusals {

    private Refusals() {
    }

    public static ProblemException invalid(String slug, String title, String detail) {
        return new ProblemException(Problem.of(slug, 400, title, detail));
    }

    /** A refusal naming the offending field of the request. */
    public static ProblemException invalidField(String field, String detail) {
        return new ProblemException(Problem.of("invalid-field", 400, "A field of the request has an invalid value",
                detail).with("field", field));
    }

    /** The backend cannot run this request as asked (size, image or command it does not offer). */
    public static ProblemException unsupported(String detail) {
        return new ProblemException(Problem.of("unsupported-session", 422,
                "The platform cannot run this session", detail));
    }
}
