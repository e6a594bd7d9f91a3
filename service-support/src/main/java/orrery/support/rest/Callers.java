package orrery.support.rest;

import jakarta.ws.rs.core.HttpHeaders;
import java.util.regex.Pattern;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * Who is calling. Until a service authenticates with JWTs, the caller names themselves in the
 * {@code X-Orrery-User} header (the local development identity; put an authenticating proxy in
 * front in production).
 */
public final class Callers {

    public static final String USER_HEADER = "X-Orrery-User";

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Callers() {
    }

    /** The calling user, or a 401 problem when none is given. */
    public static String require(HttpHeaders headers) {
        String user = headers.getHeaderString(USER_HEADER);
        if (user == null || user.isBlank()) {
            throw new ProblemException(Problem.of("unauthenticated", 401, "Who are you?",
                    "name yourself in the " + USER_HEADER + " header"));
        }
        if (!USER.matcher(user).matches()) {
            throw new ProblemException(Problem.of("unauthenticated", 401, "Who are you?",
                    USER_HEADER + " '" + user + "' is not a valid user name"));
        }
        return user;
    }
}
