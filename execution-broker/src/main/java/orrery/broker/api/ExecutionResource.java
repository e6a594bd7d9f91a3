package orrery.broker.api;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import orrery.broker.api.OfferViews.ExecutionPage;
import orrery.broker.api.OfferViews.ExecutionView;
import orrery.broker.api.OfferViews.PhaseView;
import orrery.broker.domain.Phase;
import orrery.broker.service.ExecutionEvents;
import orrery.broker.service.OfferService;
import orrery.broker.service.OwnerEvents;
import orrery.model.identity.UserNames;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.messaging.SafeContexts;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Offers and the executions they become. */
@Path("/api/v1/executions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "executions")
public class ExecutionResource {

    /** The furthest into a user's list a page may start. */
    private static final long MAX_OFFSET = 1_000_000;

    private final OfferService offers;
    private final ExecutionViews views;
    private final ExecutionEvents events;
    private final OwnerEvents ownerEvents;
    private final Caller caller;
    private final SafeContexts contexts;

    public ExecutionResource(OfferService offers, ExecutionViews views, ExecutionEvents events, OwnerEvents ownerEvents,
                             Caller caller, SafeContexts contexts) {
        this.offers = offers;
        this.views = views;
        this.events = events;
        this.ownerEvents = ownerEvents;
        this.caller = caller;
        this.contexts = contexts;
    }

    @GET
    @Operation(summary = "Your offers and executions, newest first, optionally in one phase",
            description = "An administrator may name another user's with user=<name>.")
    public Uni<ExecutionPage> list(@QueryParam("phase") String phase, @QueryParam("page") @DefaultValue("0") int page,
                                   @QueryParam("size") @DefaultValue("20") int size, @QueryParam("user") String user) {
        if (page < 0 || size < 1 || size > 200 || (long) page * size > MAX_OFFSET) {
            throw new ProblemException(Problem.of("invalid-page", 400, "Bad paging",
                    "page >= 0 and 1 <= size <= 200, and page * size at most " + MAX_OFFSET));
        }
        return offers.list(owner(user), phase == null ? null : phase(phase), page, size).map(views::page);
    }

    /** Whose list: the caller's, or (for an administrator) the user named. */
    private String owner(String user) {
        String name = caller.name();
        if (user == null || user.isEmpty() || user.equals(name)) {
            return name;
        }
        caller.requireAdmin("listing another user's executions");
        if (!UserNames.isValid(user)) {
            throw new ProblemException(Problem.of("invalid-user-name", 400, "Not a user name", "user is " + UserNames.RULE)
                    .with("field", "user"));
        }
        return user;
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Each phase change of your executions as it happens",
            description = "No history and no end: a cue to read the execution again, for lists that stay current. "
                    + "An administrator may follow another user's with user=<name>.")
    public Multi<PhaseView> allEvents(@QueryParam("user") String user) {
        return ownerEvents.stream(owner(user)).map(ExecutionResource::view);
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "The execution's phase changes so far, in Lamport order")
    public Uni<List<PhaseView>> history(@PathParam("id") UUID id) {
        return offers.history(caller.name(), caller.isAdmin(), id).map(changes -> changes.stream().map(ExecutionResource::view).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An offer or execution: phase, schedule, compute, preparation steps",
            description = "Yours; an administrator may read anyone's.")
    public Uni<ExecutionView> get(@PathParam("id") UUID id) {
        return offers.execution(caller.name(), caller.isAdmin(), id).map(views::execution);
    }

    @POST
    @Path("/{id}/accept")
    @Operation(summary = "Accept an offer: it becomes an execution and its siblings are rejected")
    @APIResponse(responseCode = "409", description = "The offer expired or was already decided (problem+json says which)")
    public Uni<ExecutionView> accept(@PathParam("id") UUID id) {
        return offers.accept(caller.name(), id).map(views::execution);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel an execution (or an offer) before it completes",
            description = "Works in any phase before COMPLETED and undoes what is under way: running transfers are "
                    + "cancelled, a started session is ended, the reservation is released.")
    @APIResponse(responseCode = "409", description = "The execution already ended")
    public Uni<ExecutionView> cancel(@PathParam("id") UUID id) {
        return offers.cancel(caller.name(), id).map(views::execution);
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "The execution's phase changes as server-sent events",
            description = "Its history first, then each change as it happens; the stream ends after a final phase.")
    @Blocking
    public Multi<PhaseView> events(@PathParam("id") UUID id) {
        // The one wait in a resource, on a worker thread: ownership is checked before the stream
        // starts, because a failure after an SSE response has begun cannot become a 404
        // problem+json (Quarkus REST logs "impossible to send it to client" and cuts the stream).
        String owner = caller.name();
        boolean admin = caller.isAdmin();
        contexts.run(() -> offers.execution(owner, admin, id)).await().atMost(Duration.ofSeconds(30));
        return events.stream(id).map(ExecutionResource::view);
    }

    private static PhaseView view(ExecutionEvents.PhaseChange change) {
        return new PhaseView(change.execution(), change.phase(), change.previous(), change.reason(), change.at(), change.lamport());
    }

    @POST
    @Path("/{id}/reject")
    @Operation(summary = "Reject an offer, releasing its reservation")
    @APIResponse(responseCode = "409", description = "The offer expired or was already decided")
    public Uni<ExecutionView> reject(@PathParam("id") UUID id) {
        return offers.reject(caller.name(), id).map(views::execution);
    }

    private static Phase phase(String text) {
        try {
            return Phase.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of("invalid-phase", 400, "Unknown phase", "phase must be one of "
                    + Arrays.stream(Phase.values()).map(Enum::name).collect(Collectors.joining(", "))).with("field", "phase"));
        }
    }
}
