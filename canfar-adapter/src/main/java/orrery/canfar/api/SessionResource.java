package orrery.canfar.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import orrery.canfar.domain.SessionLog;
import orrery.canfar.service.SessionQueries;
import orrery.canfar.service.SessionTerminator;
import orrery.canfar.store.SessionEntity;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.identity.Ids;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.PathPart;

/**
 * People's view of their sessions: list, look, read the logs, end. The caller is the bearer token's
 * user ({@link Caller}); another user's session is a 404, except to an administrator, who may look at,
 * read and end any session (the list stays one's own).
 */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "sessions", description = "Sessions launched for you on CANFAR (skaha) or as local processes")
public class SessionResource {

    static final String LOG_OFFSET = "X-Log-Offset";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final SessionQueries sessions;
    private final SessionTerminator terminator;
    private final EnvelopeCodec codec;
    private final Caller caller;

    @Inject
    public SessionResource(SessionQueries sessions, SessionTerminator terminator, EnvelopeCodec codec, Caller caller) {
        this.sessions = sessions;
        this.terminator = terminator;
        this.codec = codec;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Your sessions, newest first")
    @APIResponse(responseCode = "200", description = "The sessions")
    @APIResponse(responseCode = "400", description = "A bad limit or execution id")
    @APIResponse(responseCode = "401", description = "No valid bearer token was sent")
    public Uni<List<SessionView>> list(@Parameter(description = "Only the sessions of this execution")
                                       @QueryParam("executionId") String executionId,
                                       @Parameter(description = "At most this many (1 to 500)")
                                       @QueryParam("limit") @DefaultValue("100") int limit) {
        String user = caller.name();
        if (limit < 1 || limit > 500) {
            throw new ProblemException(Problem.of("invalid-parameter", 400, "A query parameter has an invalid value",
                    "limit must be between 1 and 500, was " + limit).with("parameter", "limit"));
        }
        return sessions.ownedBy(user, executionId, limit).map(rows -> rows.stream().map(this::view).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One of your sessions")
    @APIResponse(responseCode = "200", description = "The session")
    @APIResponse(responseCode = "401", description = "No valid bearer token was sent")
    @APIResponse(responseCode = "404", description = "You have no session with this id")
    public Uni<SessionView> get(@PathParam("id") String id) {
        return visible(id).map(this::view);
    }

    @GET
    @Path("{id}/logs")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The session's output", description = "From byte `offset` on; the " + LOG_OFFSET
            + " header tells where to continue (local sessions).")
    @APIResponse(responseCode = "200", description = "The output so far")
    @APIResponse(responseCode = "401", description = "No valid bearer token was sent")
    @APIResponse(responseCode = "404", description = "You have no session with this id")
    public Uni<Response> logs(@PathParam("id") String id,
                              @Parameter(description = "Byte offset to start from (local sessions)")
                              @QueryParam("offset") @DefaultValue("0") long offset) {
        Uni<SessionEntity> session = visible(id);
        if (offset < 0) {
            throw new ProblemException(Problem.of("invalid-parameter", 400, "A query parameter has an invalid value",
                    "offset must not be negative, was " + offset).with("parameter", "offset"));
        }
        return session.chain(row -> sessions.logs(row, offset)).map(SessionResource::logResponse);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "End one of your sessions", description = "The session becomes Terminating and ends shortly; "
            + "ending one that has already ended changes nothing.")
    @APIResponse(responseCode = "202", description = "The session, as it now stands")
    @APIResponse(responseCode = "401", description = "No valid bearer token was sent")
    @APIResponse(responseCode = "404", description = "You have no session with this id")
    public Uni<Response> delete(@PathParam("id") String id) {
        String user = caller.name();
        boolean admin = caller.isAdmin();
        if (!Ids.mayExist(id)) {
            throw notFound(id);
        }
        return terminator.deleteOwn(id, owner -> admin || owner.equals(user)).map(row -> {
            if (row == null) {
                throw notFound(id);
            }
            return Response.accepted(view(row)).build();
        });
    }

    /** The session, when the caller may see it (their own, or any for an administrator); else a 404. */
    private Uni<SessionEntity> visible(String id) {
        // Asked now, on the request's context; the answer is used when the row arrives.
        String user = caller.name();
        boolean admin = caller.isAdmin();
        if (!Ids.mayExist(id)) {
            return Uni.createFrom().failure(notFound(id));
        }
        return sessions.find(id).map(row -> {
            if (row == null || !(admin || row.owner.equals(user))) {
                throw notFound(id);
            }
            return row;
        });
    }

    private SessionView view(SessionEntity row) {
        try {
            return SessionView.of(row, codec.mapper().readValue(row.argsJson, STRINGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored arguments of session " + row.id + " are not JSON", e);
        }
    }

    private static Response logResponse(SessionLog log) {
        if (log instanceof SessionLog.LocalFile file) {
            long size;
            try {
                size = Files.size(file.file());
            } catch (IOException e) {
                size = 0;
            }
            long from = Math.min(file.offset(), size);
            return Response.ok(new PathPart(file.file(), from, size - from)).type(MediaType.TEXT_PLAIN)
                    .header(LOG_OFFSET, size).build();
        }
        String text = ((SessionLog.Text) log).text();
        return Response.ok(text).type(MediaType.TEXT_PLAIN).build();
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(Problem.of("not-found", 404, "Not Found", "you have no session '" + id + "'"));
    }
}
