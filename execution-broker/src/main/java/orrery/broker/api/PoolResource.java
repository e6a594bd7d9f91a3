package orrery.broker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import orrery.broker.api.PoolViews.AvailabilityView;
import orrery.broker.api.PoolViews.FreeView;
import orrery.broker.api.PoolViews.PoolView;
import orrery.broker.api.PoolViews.ReservationView;
import orrery.broker.api.UnixSeconds;
import orrery.broker.domain.ReservationRequest;
import orrery.broker.service.CalendarService;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The capacity calendar: pools, their schedules, availability and reservations. */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "pools")
public class PoolResource {

    private static final Pattern POOL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final CalendarService calendar;
    private final Caller caller;

    public PoolResource(CalendarService calendar, Caller caller) {
        this.calendar = calendar;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "All pools and their schedules")
    public Uni<List<PoolView>> pools() {
        return calendar.pools().map(pools -> pools.stream().map(PoolView::of).toList());
    }

    @GET
    @Path("/{pool}")
    @Operation(summary = "A pool's schedule")
    @APIResponse(responseCode = "404", description = "No such pool")
    public Uni<PoolView> pool(@PathParam("pool") String pool) {
        return calendar.pool(checked(pool)).map(PoolView::of);
    }

    @PUT
    @Path("/{pool}")
    @RolesAllowed(Caller.ADMIN)
    @Operation(summary = "Define or replace a pool's schedule (admin)",
            description = "Body: {\"segments\": [{\"start_time\", \"end_time\", \"capacity\"}]} in unix seconds. A schedule "
                    + "that would overbook existing reservations is refused with 409.")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Replaced")
    public Uni<Response> define(@PathParam("pool") String pool, JsonNode body) {
        return calendar.definePool(checked(pool), ScheduleRequests.parse(body))
                .map(result -> Response.status(result.created() ? 201 : 200).entity(PoolView.of(result.pool())).build());
    }

    @GET
    @Path("/{pool}/availability")
    @Operation(summary = "Free capacity over [start_time, end_time) as piecewise segments")
    public Uni<AvailabilityView> availability(@PathParam("pool") String pool, @QueryParam("start_time") String start,
                                              @QueryParam("end_time") String end) {
        long from = seconds(start, "start_time");
        long to = seconds(end, "end_time");
        return calendar.availability(checked(pool), from, to)
                .map(spans -> new AvailabilityView(pool, from, to, spans.stream().map(FreeView::of).toList()));
    }

    @POST
    @Path("/{pool}/reservations")
    @Operation(summary = "Reserve cores for the whole of [start_time, end_time)",
            description = "Body: {start_time, end_time, amount, user_id}. 409 not-enough-capacity carries alternatives: the "
                    + "next timeframe of the same length with that amount free, and the largest amount free in the one asked for.")
    @APIResponse(responseCode = "201", description = "Reserved")
    @APIResponse(responseCode = "400", description = "A bad time, amount or field (problem+json, type per cause)")
    @APIResponse(responseCode = "409", description = "Not enough capacity (problem+json with alternatives)")
    public Uni<Response> reserve(@PathParam("pool") String pool, JsonNode body, @Context UriInfo uri) {
        ReservationRequest request = ReservationRequests.parse(body);
        String owner = caller.name();
        if (request.userId() != null && !request.userId().equals(owner) && !caller.isAdmin()) {
            throw new ProblemException(Problem.of("forbidden", 403, "Not yours to reserve for",
                    "user_id '" + request.userId() + "' is not you (" + owner + "); only admins reserve for others"));
        }
        String forWhom = request.userId() != null ? request.userId() : owner;
        return calendar.reserve(checked(pool), request, forWhom).map(row -> Response.created(
                        uri.getBaseUriBuilder().path("api/v1/pools").path(pool).path("reservations").path(row.id.toString()).build())
                .entity(ReservationView.of(row)).build());
    }

    @GET
    @Path("/{pool}/reservations/{id}")
    @Operation(summary = "One of your reservations (administrators: anyone's)")
    public Uni<ReservationView> reservation(@PathParam("pool") String pool, @PathParam("id") UUID id) {
        return calendar.reservation(checked(pool), id, ownerFilter()).map(ReservationView::of);
    }

    @DELETE
    @Path("/{pool}/reservations/{id}")
    @Operation(summary = "Release one of your reservations (administrators: anyone's)")
    @APIResponse(responseCode = "204", description = "Released (also when it already was)")
    @APIResponse(responseCode = "404", description = "No such reservation of yours (problem+json)")
    public Uni<Response> release(@PathParam("pool") String pool, @PathParam("id") UUID id) {
        return calendar.release(checked(pool), id, ownerFilter()).replaceWith(Response.noContent().build());
    }

    /** Whose reservations the caller may read and release: their own, or (null) anyone's for an administrator. */
    private String ownerFilter() {
        String name = caller.name();
        return caller.isAdmin() ? null : name;
    }

    private static String checked(String pool) {
        if (!POOL_NAME.matcher(pool).matches()) {
            throw new ProblemException(Problem.of("invalid-pool-name", 400, "The pool name is not allowed",
                    "pool names are 1-64 letters, digits, '-' or '_'"));
        }
        return pool;
    }

    private static long seconds(String text, String field) {
        if (text == null) {
            throw new ProblemException(Problem.of("missing-field", 400, "A query parameter is missing",
                    field + " is required (unix seconds)").with("field", field));
        }
        JsonNode value;
        try {
            value = text.matches("-?\\d+") ? JsonNodeFactory.instance.numberNode(new java.math.BigInteger(text))
                    : text.matches("-?\\d+\\.\\d*") ? JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(text))
                    : JsonNodeFactory.instance.textNode(text);
        } catch (NumberFormatException e) {
            value = JsonNodeFactory.instance.textNode(text);
        }
        return UnixSeconds.read(value, field);
    }
}
