package orrery.staging.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import orrery.model.identity.Ids;
import orrery.model.messaging.Subjects;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.staging.TransferTask;
import orrery.staging.domain.SessionPaths;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.TransferIds;
import orrery.staging.service.StagingCoordinator;
import orrery.staging.store.StagingTaskEntity;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Transfers for people: start one into your own folder, and watch it. */
// Authenticated before the method runs (lazy authentication cannot resolve the token on the event loop).
@Authenticated
@Path("/api/v1/transfers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "transfers")
public class TransferResource {

    private final Caller caller;
    private final StagingCoordinator coordinator;
    private final SourcePolicy policy;

    @Inject
    public TransferResource(Caller caller, StagingCoordinator coordinator, SourcePolicy policy) {
        this.caller = caller;
        this.coordinator = coordinator;
        this.policy = policy;
    }

    @POST
    @Operation(summary = "Stage one item into the caller's session folder",
            description = "Returns at once; follow the Location to see progress. The service chooses the transfer's id "
                    + "(rest-...). Giving a taskId makes a retried request idempotent: the same caller and taskId name the "
                    + "same transfer, and the same taskId with different content is refused with 409.")
    @APIResponse(responseCode = "202", description = "Accepted; Location names the transfer")
    @APIResponse(responseCode = "400", description = "Bad name, URL or checks (problem+json)")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "409", description = "This taskId of yours is taken by a different transfer (problem+json)")
    public Uni<Response> start(@Context UriInfo uri, TransferRequest request) {
        String user = caller.name();
        RequestBodies.require(request);
        if (request.taskId() != null && !Subjects.isToken(request.taskId())) {
            throw new ProblemException(Problem.of("invalid-task-id", 400, "The task id is not allowed",
                    "taskId must be 1-128 letters, digits, '-' or '_'").with("field", "taskId"));
        }
        // Refuse bad names and sources here, as a 400, rather than accepting a task that can only fail.
        SessionPaths.file(user, request.executionId(), request.item().name());
        policy.check(request.item().url());
        String id = TransferIds.forCaller(user, request.taskId());
        TransferTask task = new TransferTask(id, user, request.executionId(), request.item());
        return coordinator.acceptRestTransfer(task, request.taskId())
                .map(row -> Response.accepted(TransferView.of(row))
                        .location(uri.getBaseUriBuilder().path("api/v1/transfers").path(row.taskId).build()).build());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A transfer's state, bytes and checksums",
            description = "Yours only (those you started and those the broker runs for your executions); "
                    + "administrators see every transfer.")
    @APIResponse(responseCode = "200", description = "The transfer")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "404", description = "No such transfer of yours (problem+json)")
    public Uni<TransferView> get(@PathParam("id") String id) {
        String user = caller.name();
        // Transfer ids are text (rest-..., eb-...), not UUIDs; one no row can have is not looked up.
        Uni<StagingTaskEntity> found = Ids.mayExist(id) ? coordinator.find(id) : Uni.createFrom().nullItem();
        return found.map(row -> {
            if (row == null || !caller.mayRead(row.userName)) {
                throw new ProblemException(Problem.of("not-found", 404, "Not Found",
                        "no transfer " + id + " of yours (user " + user + ")"));
            }
            return TransferView.of(row);
        });
    }
}
