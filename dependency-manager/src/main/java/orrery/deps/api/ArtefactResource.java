package orrery.deps.api;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import orrery.deps.service.BuildQueries;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * One artefact: state, hash, inputs, last build and its log.
 * Any user with a valid bearer token may read it: the graph and its files are shared.
 */
@Path("/api/v1/artefacts")
@Authenticated
public class ArtefactResource {

    private final BuildQueries queries;
    private final Caller caller;

    @Inject
    public ArtefactResource(BuildQueries queries, Caller caller) {
        this.queries = queries;
        this.caller = caller;
    }

    @GET
    @Path("/{ref: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "An artefact", description = "By id (a1b2...) or by root/path (papers/paper.pdf).")
    @APIResponse(responseCode = "200", description = "The artefact")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "404", description = "No such artefact (problem+json)")
    public ArtefactView artefact(@Parameter(description = "artefact id or root/path") @PathParam("ref") String ref) {
        caller.name(); // any user with a valid token (401 otherwise)
        return queries.graph(graph -> graph.byReference(ref).map(a -> GraphViews.artefact(graph, a))).orElseThrow(() -> new ProblemException(Problem.of("not-found", 404,
                "No such artefact", "no artefact has id or root/path " + Inputs.shown(ref))));
    }
}
