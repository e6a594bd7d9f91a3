package orrery.staging.api;

import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/** The JSON body a POST needs: its absence is a 400 that says so, not a null further in. */
final class RequestBodies {

    private RequestBodies() {
    }

    static <T> T require(T body) {
        if (body == null) {
            throw new ProblemException(Problem.of("missing-body", 400, "Missing request body",
                    "send a JSON object as the request body (Content-Type: application/json)"));
        }
        return body;
    }
}
