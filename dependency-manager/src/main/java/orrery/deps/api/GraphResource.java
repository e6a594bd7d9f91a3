package orrery.deps.api;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import orrery.deps.service.BuildQueries;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The whole artefact graph, as JSON or as a picture.
 * Any user with a valid bearer token may read it: the graph and its files are shared.
 */
@Path("/api/v1/graph")
@Authenticated
public class GraphResource {

    private final BuildQueries queries;
    private final Caller caller;

    @Inject
    public GraphResource(BuildQueries queries, Caller caller) {
        this.queries = queries;
        this.caller = caller;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Operation(summary = "The artefact graph",
            description = "Every artefact and every 'is built from' edge, with strongly connected components. "
                    + "format=dot gives Graphviz, format=mermaid a Mermaid flowchart (both text/plain).")
    @APIResponse(responseCode = "200", description = "The graph")
    @APIResponse(responseCode = "400", description = "Unknown format (problem+json)")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    public Response graph(@Parameter(description = "json (default), dot or mermaid") @QueryParam("format") String format) {
        caller.name(); // any user with a valid token (401 otherwise)
        if (format == null || format.isBlank() || format.equals("json")) {
            return Response.ok(queries.graph(GraphViews::graph), MediaType.APPLICATION_JSON).build();
        }
        return switch (format) {
            case "dot" -> Response.ok(queries.graph(GraphViews::dot), "text/vnd.graphviz").build();
            case "mermaid" -> Response.ok(queries.graph(GraphViews::mermaid), MediaType.TEXT_PLAIN).build();
            default -> throw new ProblemException(Problem.of("invalid-field", 400, "Unknown graph format",
                    "format " + Inputs.shown(format) + " is not one of json, dot, mermaid").with("field", "format"));
        };
    }
}
