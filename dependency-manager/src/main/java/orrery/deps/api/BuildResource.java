package orrery.deps.api;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import orrery.deps.service.BuildCoordinator;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Builds: ask for one, watch it. */
@Path("/api/v1/builds")
public class BuildResource {

    @Inject
    BuildCoordinator coordinator;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Build a target",
            description = "Brings the target and what it is built from up to date. Answers at once with the plan; "
                    + "the build runs after any build already running.")
    @APIResponse(responseCode = "202", description = "Accepted, with the plan (Location: the build)")
    @APIResponse(responseCode = "400", description = "Bad request body or target (problem+json)")
    @APIResponse(responseCode = "404", description = "Nothing knows how to build the target (problem+json)")
    @APIResponse(responseCode = "422", description = "The target is a source file (problem+json)")
    public Uni<Response> build(BuildRequest request) {
        if (request == null || request.target() == null || request.target().isBlank()) {
            throw new ProblemException(Problem.of("missing-field", 400, "The request lacks a required field",
                    "field 'target' is required, e.g. {\"target\": \"papers/paper.pdf\"}").with("field", "target"));
        }
        return coordinator.requestBuild(request.target().trim())
                .map(view -> Response.accepted(view).location(URI.create("/api/v1/builds/" + view.id())).build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recent builds, newest first", description = "Queued, running and recently ended builds "
            + "(the last 200); older ones are found by id.")
    @APIResponse(responseCode = "200", description = "The builds")
    public java.util.List<BuildView> recent() {
        return coordinator.recentBuilds();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A build and its progress per artefact")
    @APIResponse(responseCode = "200", description = "The build")
    @APIResponse(responseCode = "404", description = "No such build (problem+json)")
    public Uni<BuildView> get(@PathParam("id") String id) {
        return coordinator.build(id).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "A build's events as server-sent events",
            description = "Everything that happened so far, then live events until the build ends (the last one is "
                    + "FINISHED). Kept for recent builds only.")
    @APIResponse(responseCode = "200", description = "The event stream")
    @APIResponse(responseCode = "404", description = "No such recent build (problem+json)")
    public Multi<BuildEventView> events(@PathParam("id") String id) {
        return coordinator.events(id).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(Problem.of("not-found", 404, "No such build", "no recent build has id '" + id + "'"));
    }
}
