package orrery.staging.api;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
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
import java.util.UUID;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.staging.TransferTask;
import orrery.staging.domain.SessionPaths;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.tasks.StagingCoordinator;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Transfers for people: start one, and watch it. */
@Path("/api/v1/transfers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "transfers")
public class TransferResource {

    @Inject
    Caller caller;

    @Inject
    StagingCoordinator coordinator;

    @Inject
    SourcePolicy policy;

    @POST
    @Operation(summary = "Stage one item into the caller's session folder",
            description = "Returns at once; follow the Location to see progress. Giving a taskId makes a retried "
                    + "request idempotent.")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the transfer")
    @APIResponse(responseCode = "400", description = "Bad name, URL or checks (problem+json)")
    public Uni<Response> start(@Parameter(hidden = true) @Context HttpHeaders headers, @Context UriInfo uri,
                               TransferRequest request) {
        String user = caller.name();
        if (request.taskId() != null && !orrery.model.messaging.Subjects.isToken(request.taskId())) {
            throw new ProblemException(Problem.of("invalid-task-id", 400, "The task id is not allowed",
                    "taskId must be 1-128 letters, digits, '-' or '_'"));
        }
        // Refuse bad names and sources here, as a 400, rather than accepting a task that can only fail.
        SessionPaths.file(user, request.executionId(), request.item().name());
        policy.check(request.item().url());
        String taskId = request.taskId() != null ? request.taskId() : UUID.randomUUID().toString();
        TransferTask task = new TransferTask(taskId, user, request.executionId(), request.item());
        return coordinator.find(taskId).chain(existing -> {
            if (existing != null && !user.equals(existing.userName)) {
                throw new ProblemException(Problem.of("conflict", 409, "Task id in use",
                        "task id " + taskId + " is already used; choose another"));
            }
            return coordinator.acceptTransfer(task, taskId);
        }).map(row -> Response.accepted(TransferView.of(row))
                .location(uri.getBaseUriBuilder().path("api/v1/transfers").path(row.taskId).build()).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A transfer's state, bytes and checksums")
    @APIResponse(responseCode = "200", description = "The transfer")
    @APIResponse(responseCode = "404", description = "No such transfer of yours")
    public Uni<TransferView> get(@Parameter(hidden = true) @Context HttpHeaders headers, @PathParam("id") String id) {
        String user = caller.name();
        return coordinator.find(id).map(row -> {
            if (row == null || !user.equals(row.userName)) {
                throw new ProblemException(Problem.of("not-found", 404, "Not Found", "no transfer " + id + " of yours"));
            }
            return TransferView.of(row);
        });
    }
}
