package orrery.broker.api.ivoa;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import orrery.broker.api.ExecutionViews;
import orrery.broker.api.OfferDesk;
import orrery.broker.config.BrokerConfig;
import orrery.broker.service.OfferService;
import orrery.broker.store.ExecutionEntity;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The IVOA ExecutionBroker draft's API, beside the native one and mapped onto the same offers and
 * executions: {@code POST /ivoa/offersets} (JSON or YAML; 303 to the offer set, with the offer set
 * in the body for clients that do not follow redirects), {@code GET /ivoa/offersets/{uuid}},
 * {@code GET /ivoa/sessions/{uuid}}, and {@code POST /ivoa/sessions/{uuid}} with a phase update.
 *
 * <p>Callers authenticate with a bearer token like everywhere else. Where an operator sets
 * {@code orrery.broker.api.ivoa.anonymous-user} (off by default in every profile), clients that send no
 * token may ask for offers and read them as that user, but never accept, reject or cancel one: a
 * phase update always needs a token.
 */
@Path("/ivoa")
@Tag(name = "ivoa")
public class IvoaResource {


    private final OfferDesk desk;
    private final OfferService offers;
    private final ExecutionViews views;
    private final CurrentIdentityAssociation identities;
    private final BrokerConfig config;

    public IvoaResource(OfferDesk desk, OfferService offers, ExecutionViews views, CurrentIdentityAssociation identities,
                        BrokerConfig config) {
        this.desk = desk;
        this.offers = offers;
        this.views = views;
        this.identities = identities;
        this.config = config;
    }

    @POST
    @Path("/offersets")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", MediaType.TEXT_PLAIN})
    @Produces({MediaType.APPLICATION_JSON, "application/yaml"})
    @Operation(summary = "Ask for offers (ExecutionBroker draft / Calycopis v1.0 shape)")
    public Uni<Response> create(String body, @Context HttpHeaders headers, @Context UriInfo uri) {
        // Who is asking comes first: a caller without a token learns nothing about their document.
        return owner().chain(owner -> {
            JsonNode request = IvoaFormats.read(body);
            IvoaRequests.Translation translation = IvoaRequests.translate(request);
            return translation.unsupported().isEmpty() ? desk.ask(owner, translation.request())
                    : offers.answerNo(owner, translation.request() == null ? null : translation.request().name(),
                    request.toString(), translation.unsupported()).map(views::offerSet);
        }).map(set -> {
            URI base = uri.getBaseUri();
            return IvoaFormats.render(Response.seeOther(base.resolve("ivoa/offersets/" + set.id())),
                    IvoaViews.offerSet(set, base), IvoaFormats.wantsYaml(headers)).build();
        });
    }

    @GET
    @Path("/offersets/{uuid}")
    @Produces({MediaType.APPLICATION_JSON, "application/yaml"})
    @Operation(summary = "An offer set in the ExecutionBroker shape")
    public Uni<Response> offerSet(@PathParam("uuid") UUID set, @Context HttpHeaders headers, @Context UriInfo uri) {
        return owner().chain(owner -> offers.offerSet(owner, set)).map(found ->
                IvoaFormats.render(Response.ok(), IvoaViews.offerSet(views.offerSet(found), uri.getBaseUri()), IvoaFormats.wantsYaml(headers))
                        .build());
    }

    @GET
    @Path("/sessions/{uuid}")
    @Produces({MediaType.APPLICATION_JSON, "application/yaml"})
    @Operation(summary = "An offer or execution in the ExecutionBroker shape")
    public Uni<Response> session(@PathParam("uuid") UUID session, @Context HttpHeaders headers, @Context UriInfo uri) {
        return owner().chain(owner -> offers.execution(owner, session)).map(found ->
                IvoaFormats.render(Response.ok(), IvoaViews.session(views.execution(found), uri.getBaseUri()), IvoaFormats.wantsYaml(headers))
                        .build());
    }

    @POST
    @Path("/sessions/{uuid}")
    @Consumes({MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", MediaType.TEXT_PLAIN})
    @Produces({MediaType.APPLICATION_JSON, "application/yaml"})
    @Operation(summary = "Update a session's phase: ACCEPTED, REJECTED or CANCELLED",
            description = "Body: {\"kind\" or \"type\": \"uri:enum-value-update\", \"path\": \"/phase\" or \"phase\", \"value\": ...}, "
                    + "optionally wrapped in {\"update\": ...}.")
    public Uni<Response> update(@PathParam("uuid") UUID id, String body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return decider().chain(owner -> decide(owner, id, body).map(views::execution)).map(view ->
                IvoaFormats.render(Response.ok(), IvoaViews.session(view, uri.getBaseUri()), IvoaFormats.wantsYaml(headers))
                        .build());
    }

    private Uni<ExecutionEntity> decide(String owner, UUID session, String body) {
        JsonNode update = IvoaFormats.read(body);
        if (update.has("update")) {
            update = update.get("update");
        }
        String type = update.path("kind").asText(update.path("type").asText("uri:enum-value-update"));
        String path = update.path("path").asText("");
        String value = update.path("value").asText("").toUpperCase(Locale.ROOT);
        if (!"uri:enum-value-update".equals(type) || !path.replaceFirst("^/", "").equals("phase")) {
            throw new ProblemException(Problem.of("unsupported-update", 400, "Unsupported update",
                    "only {\"kind\": \"uri:enum-value-update\", \"path\": \"/phase\", \"value\": ...} is supported"));
        }
        if (!value.equals("ACCEPTED") && !value.equals("REJECTED") && !value.equals("CANCELLED")) {
            throw new ProblemException(Problem.of("unsupported-update", 400, "Unsupported phase",
                    "phase can be set to ACCEPTED, REJECTED or CANCELLED, not '" + value + "'"));
        }
        return switch (value) {
            case "ACCEPTED" -> offers.accept(owner, session);
            case "REJECTED" -> offers.reject(owner, session);
            default -> offers.cancel(owner, session);
        };
    }

    /** The caller: the token's principal, or the configured anonymous user; resolved without blocking the event loop. */
    private Uni<String> owner() {
        return identities.getDeferredIdentity().map((SecurityIdentity identity) -> {
            if (!identity.isAnonymous()) {
                return new Caller(identity).name();
            }
            return config.ivoa().anonymousUser().orElseThrow(Caller::unauthenticated);
        });
    }

    /** The caller of a phase update (accept, reject, cancel): always a token's principal, never the anonymous user. */
    private Uni<String> decider() {
        return identities.getDeferredIdentity().map((SecurityIdentity identity) -> {
            if (identity.isAnonymous()) {
                throw Caller.unauthenticated(
                        "accepting, rejecting or cancelling an offer needs a bearer token: Authorization: Bearer <JWT>"
                                + (config.ivoa().anonymousUser().isPresent() ? " (clients without one may only ask for offers)" : ""));
            }
            return new Caller(identity).name();
        });
    }
}
