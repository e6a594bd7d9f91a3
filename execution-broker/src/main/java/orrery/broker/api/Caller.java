package orrery.broker.api;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/** The authenticated caller of a request: the JWT's principal (upn, preferred_username or sub) and its groups. */
@RequestScoped
public class Caller {

    public static final String ADMIN = "admin";

    @Inject
    SecurityIdentity identity;

    public String name() {
        if (identity.isAnonymous()) {
            throw new ProblemException(Problem.of("unauthenticated", 401, "Who are you?",
                    "send a bearer token: Authorization: Bearer <JWT> (deploy/local/token.sh makes one for a laptop)"));
        }
        return identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return identity.hasRole(ADMIN);
    }
}
