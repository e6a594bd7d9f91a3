package orrery.canfar.backend.skaha;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * CANFAR's skaha sessions API (opencadc/science-platform), as its server implements it. The base
 * URL ({@code orrery.canfar.skaha.url}) ends with the API version, e.g. {@code .../skaha/v0}.
 */
@Path("")
@RegisterRestClient(configKey = "skaha")
@ClientHeaderParam(name = "Authorization", value = "{authorization}", required = false)
public interface SkahaApi {

    /**
     * Launches a session. Form parameters: {@code name}, {@code image}, {@code cores}, {@code ram}
     * (GB), {@code type}, and for headless sessions {@code cmd}, {@code args} (one string, split on
     * spaces by skaha) and repeated {@code env=KEY=VALUE}. The reply is the new session id as text.
     */
    @POST
    @Path("session")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    Uni<String> create(MultivaluedMap<String, String> form);

    /** The caller's sessions. */
    @GET
    @Path("session")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<List<SkahaSession>> sessions();

    @GET
    @Path("session/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<SkahaSession> session(@PathParam("id") String id);

    /** {@code view=logs} (the container's output) or {@code view=events} (Kubernetes events), as text. */
    @GET
    @Path("session/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    Uni<String> view(@PathParam("id") String id, @QueryParam("view") String view);

    @DELETE
    @Path("session/{id}")
    Uni<Void> delete(@PathParam("id") String id);

    /** {@code action=renew} extends the session's expiry. */
    @POST
    @Path("session/{id}")
    Uni<Void> action(@PathParam("id") String id, @QueryParam("action") String action);

    /** The sizes sessions may have. */
    @GET
    @Path("context")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<SkahaContext> context();

    /** The images sessions may use, with the session types each is labelled for. */
    @GET
    @Path("image")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<List<SkahaImage>> images();

    /** {@code Bearer <orrery.canfar.skaha.token>}, or no header when no token is configured. */
    default String authorization() {
        return ConfigProvider.getConfig().getOptionalValue("orrery.canfar.skaha.token", String.class)
                .filter(token -> !token.isBlank()).map(token -> "Bearer " + token.trim()).orElse(null);
    }

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return SkahaException.of(response);
    }
}
