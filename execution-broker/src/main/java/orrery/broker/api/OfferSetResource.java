package orrery.broker.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import orrery.broker.api.OfferViews.OfferSetView;
import orrery.broker.service.OfferService;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "Can you run this, and when?": offer sets. */
@Path("/api/v1/offersets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "offers")
public class OfferSetResource {

    private final OfferDesk desk;
    private final OfferService offers;
    private final ExecutionViews views;
    private final Caller caller;

    public OfferSetResource(OfferDesk desk, OfferService offers, ExecutionViews views, Caller caller) {
        this.desk = desk;
        this.offers = offers;
        this.views = views;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Ask for offers",
            description = "Answers YES with up to 4 offers the broker can keep (each holds a provisional reservation until "
                    + "it expires), or NO with reasons. Every offer starts inside a requested start window, and no earlier "
                    + "than preparation allows.")
    @APIResponse(responseCode = "201", description = "The offer set (YES or NO)")
    @APIResponse(responseCode = "400", description = "An invalid request (problem+json naming the field)")
    public Uni<Response> create(OfferSetRequest request) {
        return desk.ask(caller.name(), request).map(set -> Response.created(URI.create(set.href())).entity(set).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of your offer sets, with the current phase of each offer")
    public Uni<OfferSetView> get(@PathParam("id") UUID id) {
        return offers.offerSet(caller.name(), id).map(views::offerSet);
    }
}
