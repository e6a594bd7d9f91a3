package orrery.deps.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import orrery.deps.service.BuildCoordinator;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** One artefact: state, hash, inputs, last build and its log. */
@Path("/api/v1/artefacts")
public class ArtefactResource {

    @Inject
    BuildCoordinator coordinator;

    @GET
    @Path("/{ref: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "An artefact", description = "By id (a1b2...) or by root/path (papers/paper.pdf).")
    @APIResponse(responseCode = "200", description = "The artefact")
    @APIResponse(responseCode = "404", description = "No such artefact (problem+json)")
    public ArtefactView artefact(@Parameter(description = "artefact id or root/path") @PathParam("ref") String ref) {
        return coordinator.artefact(ref).orElseThrow(() -> new ProblemException(Problem.of("not-found", 404,
                "No such artefact", "no artefact has id or root/path '" + ref + "'")));
    }
}
