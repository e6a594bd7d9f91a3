package orrery.deps.api;

import io.quarkus.security.Authenticated;
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
import java.util.List;
import java.util.function.Predicate;
import orrery.deps.domain.BuildAccess;
import orrery.deps.service.BuildEventView;
import orrery.deps.service.BuildQueries;
import orrery.deps.service.BuildRequests;
import orrery.deps.service.BuildView;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Builds: ask for one, watch it. Every request needs a bearer token. A build belongs to the caller
 * who asked for it; others get 404 for it. Builds the service started itself when files changed
 * belong to no user and any user may read them ({@link BuildAccess}); administrators see every build.
 */
@Path("/api/v1/builds")
@Authenticated
public class BuildResource {

    private final BuildRequests requests;
    private final BuildQueries queries;
    private final Caller caller;

    @Inject
    public BuildResource(BuildRequests requests, BuildQueries queries, Caller caller) {
        this.requests = requests;
        this.queries = queries;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Build a target",
            description = "Brings the target and what it is built from up to date. Answers at once with the plan; "
                    + "the build runs after any build already running. The build is the caller's.")
    @APIResponse(responseCode = "202", description = "Accepted, with the plan (Location: the build)")
    @APIResponse(responseCode = "400", description = "Bad request body or target (problem+json)")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "404", description = "Nothing knows how to build the target (problem+json)")
    @APIResponse(responseCode = "422", description = "The target is a source file (problem+json)")
    public Uni<Response> build(BuildRequest request) {
        String owner = caller.name();
        if (request == null || request.target() == null || request.target().isBlank()) {
            throw new ProblemException(Problem.of("missing-field", 400, "The request lacks a required field",
                    "field 'target' is required, e.g. {\"target\": \"papers/paper.pdf\"}").with("field", "target"));
        }
        String target = Inputs.target(request.target().trim());
        return requests.requestBuild(target, owner)
                .map(view -> Response.accepted(view).location(URI.create("/api/v1/builds/" + view.id())).build());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recent builds you may see, newest first", description = "Queued, running and recently "
            + "ended builds (the last 200): your own and the service's (started by file changes); an administrator "
            + "sees everyone's. Older ones are found by id.")
    @APIResponse(responseCode = "200", description = "The builds")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    public List<BuildView> recent() {
        Predicate<BuildView> visible = visibleToCaller();
        return queries.recentBuilds().stream().filter(visible).toList();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A build and its progress per artefact")
    @APIResponse(responseCode = "200", description = "The build")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "404", description = "No such build, or another user's (problem+json)")
    public Uni<BuildView> get(@PathParam("id") String id) {
        Predicate<BuildView> visible = visibleToCaller();
        if (!Inputs.plausibleBuildId(id)) {
            throw notFound(id); // never a build id; not worth a query (PostgreSQL refuses NUL in text, for one)
        }
        return queries.build(id).map(found -> found.filter(visible).orElseThrow(() -> notFound(id)));
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "A build's events as server-sent events",
            description = "Everything that happened so far, then live events until the build ends (the last one is "
                    + "FINISHED). Kept for recent builds only.")
    @APIResponse(responseCode = "200", description = "The event stream")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "404", description = "No such recent build, or another user's (problem+json)")
    public Multi<BuildEventView> events(@PathParam("id") String id) {
        Predicate<BuildView> visible = visibleToCaller();
        if (!Inputs.plausibleBuildId(id) || queries.recentBuild(id).filter(visible).isEmpty()) {
            throw notFound(id);
        }
        return queries.events(id).orElseThrow(() -> notFound(id));
    }

    /** Decided now, on the request's thread: the caller's name and groups, not the request scope, travel on. */
    private Predicate<BuildView> visibleToCaller() {
        String viewer = caller.name();
        boolean admin = caller.isAdmin();
        return view -> BuildAccess.mayRead(viewer, admin, view.owner(), view.trigger());
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(Problem.of("not-found", 404, "No such build",
                "no build you may see has id " + Inputs.shown(id) + " (builds are their requester's; recent ones are kept)"));
    }
}
