package orrery.support.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import orrery.model.problem.Problem;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request body over {@code quarkus.http.limits.max-body-size} is answered 413 as problem+json,
 * naming the limit, instead of Vert.x's bare status. A declared {@code Content-Length} over the
 * limit is refused before the body is read; a chunked body that grows past it is cut off by
 * Vert.x, whose failure comes here too.
 */
@ApplicationScoped
public class BodyLimit {

    private final long limit;
    private final ObjectMapper json;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
                     io.quarkus.runtime.configuration.MemorySize limit, ObjectMapper json) {
        this.limit = limit.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkDeclaredLength);
        router.errorHandler(413, this::refuse);
    }

    private void checkDeclaredLength(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    refuse(context);
                    return;
                }
            } catch (NumberFormatException e) {
                // Vert.x answers a malformed Content-Length itself
            }
        }
        context.next();
    }

    private void refuse(RoutingContext context) {
        if (context.response().ended()) {
            return;
        }
        Problem problem = Problem.of("body-too-large", 413, "The request body is too large",
                "this service takes request bodies of at most " + limit + " bytes").at(context.request().path());
        try {
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            context.response().setStatusCode(413).end();
        }
    }
}
