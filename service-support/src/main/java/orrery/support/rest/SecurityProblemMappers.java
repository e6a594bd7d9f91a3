package orrery.support.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import orrery.model.problem.Problem;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Authentication and authorisation failures as problem+json. */
public class SecurityProblemMappers {

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return unauthenticated(request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response failed(AuthenticationFailedException e, HttpServerRequest request) {
        return unauthenticated(request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return ProblemResponses.of(Problem.of("forbidden", 403, "Forbidden",
                "you are not allowed to " + request.method() + " " + request.path()).at(request.path()));
    }

    private static Response unauthenticated(HttpServerRequest request) {
        return Response.fromResponse(ProblemResponses.of(Problem.of("unauthenticated", 401, "Who are you?",
                        "send a valid bearer token: Authorization: Bearer <JWT>").at(request.path())))
                .header("WWW-Authenticate", "Bearer").build();
    }
}
