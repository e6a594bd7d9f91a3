package orrery.support.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import orrery.model.json.JsonInputError;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.schedule.ScheduleFormatException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every error a REST call can meet into RFC 9457 problem+json with a stable type. Bad
 * input is a 4xx that names what was wrong; only our own bugs are a 500, logged with an id the
 * caller can quote.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        Problem problem = e.problem();
        return ProblemResponses.of(problem.instance() == null ? problem.at(request.path()) : problem);
    }

    // Quarkus REST ships its own mappers for these Jackson types; naming each one here makes ours win.
    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e, HttpServerRequest request) {
        return badJson(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response badFormat(InvalidFormatException e, HttpServerRequest request) {
        return badJson(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatch(MismatchedInputException e, HttpServerRequest request) {
        return badJson(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response cannotBuild(ValueInstantiationException e, HttpServerRequest request) {
        return badJson(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response badJson(JsonProcessingException e, HttpServerRequest request) {
        JsonInputError error = JsonInputError.describe(e, null);
        String slug = switch (error.kind()) {
            case MALFORMED -> "malformed-json";
            case UNKNOWN_FIELD -> "unknown-field";
            case MISSING_FIELD -> "missing-field";
            case INVALID_VALUE -> "invalid-field";
        };
        String title = switch (error.kind()) {
            case MALFORMED -> "The request body is not valid JSON";
            case UNKNOWN_FIELD -> "The request has a field this API does not know";
            case MISSING_FIELD -> "The request lacks a required field";
            case INVALID_VALUE -> "A field of the request has an invalid value";
        };
        Problem problem = Problem.of(slug, 400, title, error.message()).at(request.path());
        return ProblemResponses.of(error.field() == null ? problem : problem.with("field", error.field()));
    }

    @ServerExceptionMapper
    public Response badTime(ScheduleFormatException e, HttpServerRequest request) {
        return ProblemResponses.of(Problem.of("invalid-time", 400, "A time or duration is not valid ISO-8601",
                e.getMessage()).at(request.path()));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, HttpServerRequest request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json, request);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, request);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        String slug = switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
        String detail = e.getMessage() != null && !e.getMessage().startsWith("HTTP " + status) ? e.getMessage()
                : title + ": " + request.method() + " " + request.path();
        Response.ResponseBuilder response = Response.fromResponse(ProblemResponses.of(
                Problem.of(slug, status, title, detail).at(request.path())));
        return response.build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response internal(Throwable e, HttpServerRequest request) {
        if (natsDidNotAnswer(e)) {
            return messagingUnavailable(e, request);
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "internal error %s on %s %s", incident, request.method(), request.path());
        return ProblemResponses.of(Problem.of("internal-error", 500, "Internal error",
                        "Something went wrong on our side; quote incident " + incident + " when you report it.")
                .with("incident", incident).at(request.path()));
    }

    /**
     * NATS (or its JetStream) not answering in time is the suite's dependency being away, not our
     * bug: a 503 the caller may retry, as readiness says DOWN for it. Seen just after a NATS restart,
     * when the connection is back before JetStream answers (jnats: "Timeout or no response waiting for
     * NATS JetStream server").
     */
    static boolean natsDidNotAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException && t.getMessage() != null && t.getMessage().contains("NATS")) {
                return true;
            }
        }
        return false;
    }

    private static Response messagingUnavailable(Throwable e, HttpServerRequest request) {
        LOG.warnf("NATS did not answer %s %s: %s", request.method(), request.path(), e.getMessage());
        return Response.fromResponse(ProblemResponses.of(Problem.of("messaging-unavailable", 503, "Service unavailable",
                        "The service's messaging (NATS) did not answer in time; try again in a few seconds.")
                .at(request.path()))).header("Retry-After", "2").build();
    }
}
