package orrery.canfar.api;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import orrery.canfar.domain.LaunchRules;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * Who is calling. An authenticated principal (a JWT subject, once the services share
 * smallrye-jwt) wins; until then the {@value #HEADER} header names the caller, which is the
 * local development identity and must not be exposed beyond a trusted gateway.
 */
public final class CallerIdentity {

    public static final String HEADER = "X-Orrery-User";

    private CallerIdentity() {
    }

    public static String of(SecurityContext security, String header) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        if (principal != null && principal.getName() != null && !principal.getName().isBlank()) {
            return principal.getName();
        }
        if (header == null || header.isBlank()) {
            throw new ProblemException(Problem.of("unauthenticated", 401, "Who is asking?",
                    "send a bearer token, or (local development) the " + HEADER + " header naming the user"));
        }
        if (!LaunchRules.USER.matcher(header).matches()) {
            throw new ProblemException(Problem.of("invalid-header", 400, "A header of the request has an invalid value",
                    HEADER + " must be 1 to 64 letters, digits, '.', '_', '@' or '-'").with("header", HEADER));
        }
        return header;
    }
}
