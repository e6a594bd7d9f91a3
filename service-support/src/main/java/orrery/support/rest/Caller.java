package orrery.support.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import orrery.model.identity.UserNames;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * The proven caller of a request: the bearer JWT's principal (smallrye-jwt takes {@code upn}, then
 * {@code preferred_username}, then {@code sub}) and its groups. The one identity rule of the suite:
 * every service asks this class, nothing believes a name in a header.
 *
 * <p>A token whose name breaks {@link UserNames}' rule is refused here, at the door, with a 401, so a
 * name never gets half-way through the suite and fails in a folder name or a session name.
 */
@RequestScoped
public class Caller {

    /** The group that makes a caller an administrator. */
    public static final String ADMIN = "admin";
    /** The group every ordinary caller has (tokens may omit it: a valid token is a user). */
    public static final String USER = "user";

    private final SecurityIdentity identity;

    @Inject
    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller's user name, or a 401 problem when the request carries no valid token. */
    public String name() {
        if (identity.isAnonymous()) {
            throw unauthenticated();
        }
        String name = identity.getPrincipal().getName();
        if (!UserNames.isValid(name)) {
            throw new ProblemException(Problem.of("invalid-user-name", 401, "This token's user name is not usable here",
                    "the token names the user '" + printable(name) + "'; an Orrery user name is " + UserNames.RULE));
        }
        return name;
    }

    /** Whether a token came with the request (anonymous callers get {@code false}). */
    public boolean isAuthenticated() {
        return !identity.isAnonymous();
    }

    public boolean isAdmin() {
        return !identity.isAnonymous() && identity.hasRole(ADMIN);
    }

    /** The caller's name when they are an administrator; 401 without a token, 403 for other users. */
    public String requireAdmin(String what) {
        String name = name();
        if (!identity.hasRole(ADMIN)) {
            throw new ProblemException(Problem.of("forbidden", 403, "Administrators only",
                    what + " is for administrators (a token whose groups include '" + ADMIN + "')"));
        }
        return name;
    }

    /** Whether the caller may see something owned by {@code owner}: their own, or anything for an admin. */
    public boolean mayRead(String owner) {
        return isAdmin() || name().equals(owner);
    }

    public static ProblemException unauthenticated() {
        return unauthenticated("send a bearer token: Authorization: Bearer <JWT> (deploy/local/token.sh makes one for a laptop)");
    }

    /** A 401 problem with a detail of the caller's own, e.g. why this request in particular needs a token. */
    public static ProblemException unauthenticated(String detail) {
        return new ProblemException(Problem.of("unauthenticated", 401, "Who are you?", detail));
    }

    private static String printable(String name) {
        if (name == null) {
            return "";
        }
        String shown = name.length() > 80 ? name.substring(0, 80) + "…" : name;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
