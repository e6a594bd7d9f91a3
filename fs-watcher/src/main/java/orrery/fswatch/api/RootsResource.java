package orrery.fswatch.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import orrery.fswatch.domain.IndexEntry;
import orrery.fswatch.domain.RootPolicy;
import orrery.fswatch.domain.RootSpec;
import orrery.fswatch.service.LiveChanges;
import orrery.fswatch.service.RootRegistry;
import orrery.fswatch.service.RootWatcher;
import orrery.model.fs.FsEvent;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Watched roots: list, add or replace, remove, rescan, and the files each one knows.
 *
 * <p>Every request needs a bearer token ({@link Caller}); reading roots and their files is for any
 * user, changing what is watched (add, replace, remove, rescan) is for administrators.
 */
@Path("/api/v1/roots")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class RootsResource {

    static final int MAX_PAGE = 1000;

    private final RootRegistry registry;
    private final LiveChanges live;
    private final Caller caller;

    @Inject
    public RootsResource(RootRegistry registry, LiveChanges live, Caller caller) {
        this.registry = registry;
        this.live = live;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The watched roots, with their state")
    @APIResponse(responseCode = "200", description = "The roots")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    public List<RootView> list() {
        caller.name(); // any user with a valid token (401 otherwise)
        return registry.all().stream().map(RootView::of).toList();
    }

    @GET
    @Path("/{root}")
    @Operation(summary = "One watched root")
    @APIResponse(responseCode = "200", description = "The root")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "404", description = "No such root (problem+json)")
    public RootView get(@PathParam("root") String root) {
        caller.name();
        return RootView.of(registry.get(root));
    }

    @PUT
    @Path("/{root}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Watch a folder as this root, or change how it is watched",
            description = "The folder must lie inside an allowed base folder. Changes of its files are published on "
                    + "events.fs.<root>; a root added here is watched again after a restart.")
    @APIResponse(responseCode = "201", description = "The root is new")
    @APIResponse(responseCode = "200", description = "The root replaced one of the same name")
    @APIResponse(responseCode = "400", description = "Bad name, path, glob or duration (problem+json)")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "403", description = "Not an administrator, or the folder is outside the allowed base "
            + "folders (problem+json)")
    public Response put(@PathParam("root") String root, RootRequest request) {
        caller.requireAdmin("adding or replacing a watched root");
        RootPolicy.checkName(root);
        if (request == null) {
            throw new ProblemException(Problem.of("missing-body", 400, "The request has no body",
                    "send a JSON object with at least \"path\", the absolute folder to watch"));
        }
        RootSpec spec = registry.check(root, request.path(), request.include(), request.exclude(), request.logs(),
                request.quietPeriod(), request.maxLatency());
        boolean created = registry.put(spec);
        RootView view = RootView.of(registry.get(root));
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK).entity(view).build();
    }

    @DELETE
    @Path("/{root}")
    @Operation(summary = "Stop watching a root",
            description = "Its index is kept, so adding the root again publishes only what changed meanwhile; "
                    + "purge=true drops the index too.")
    @APIResponse(responseCode = "204", description = "No longer watched")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "403", description = "Not an administrator (problem+json)")
    @APIResponse(responseCode = "404", description = "No such root (problem+json)")
    public Response delete(@PathParam("root") String root,
                           @Parameter(description = "true to drop the index too") @QueryParam("purge") @DefaultValue("false")
                           String purgeText) {
        caller.requireAdmin("removing a watched root");
        boolean purge = purge(purgeText);
        registry.remove(root, purge);
        return Response.noContent().build();
    }

    @POST
    @Path("/{root}/rescan")
    @Operation(summary = "Compare the whole tree with the index again and publish what differs")
    @APIResponse(responseCode = "202", description = "Rescan queued")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "403", description = "Not an administrator (problem+json)")
    @APIResponse(responseCode = "404", description = "No such root (problem+json)")
    public Response rescan(@PathParam("root") String root) {
        caller.requireAdmin("rescanning a watched root");
        RootWatcher watcher = registry.get(root);
        watcher.rescan();
        return Response.accepted(RootView.of(watcher)).build();
    }

    @GET
    @Path("/{root}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "The root's changes as they are published, as server-sent events",
            description = "From now on, no history: created, modified and deleted files with their SHA-256, "
                    + "and the lines each log file grows by (APPENDED).")
    @APIResponse(responseCode = "200", description = "The event stream")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "404", description = "No such root (problem+json)")
    public Multi<FsEvent> events(@PathParam("root") String root) {
        caller.name();
        registry.get(root); // 404 before the stream starts
        return live.of(root);
    }

    @GET
    @Path("/{root}/files")
    @Operation(summary = "The root's current files with their hashes, sorted by path, a page at a time")
    @APIResponse(responseCode = "200", description = "A page of files")
    @APIResponse(responseCode = "400", description = "Bad limit (problem+json)")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "404", description = "No such root (problem+json)")
    public FilePage files(@PathParam("root") String root,
                          @Parameter(description = "only paths starting with this") @QueryParam("prefix") @DefaultValue("") String prefix,
                          @Parameter(description = "the 'next' of the previous page") @QueryParam("after") String after,
                          @Parameter(description = "1 to 1000") @QueryParam("limit") @DefaultValue("100") String limitText) {
        caller.name();
        RootWatcher watcher = registry.get(root);
        int limit = limit(limitText);
        checkText("prefix", prefix);
        if (after != null) {
            checkText("after", after);
        }
        List<IndexEntry> page = watcher.files(prefix, after, limit + 1);
        boolean more = page.size() > limit;
        List<FileView> files = page.stream().limit(limit).map(FileView::of).toList();
        String next = more ? files.get(files.size() - 1).path() : null;
        return new FilePage(root, prefix, files, next);
    }

    /** Longest prefix or after accepted: a path relative to the root, at most Linux's PATH_MAX. */
    static final int MAX_QUERY_PATH = RootPolicy.MAX_PATH;

    private static void checkText(String field, String text) {
        if (text.length() > MAX_QUERY_PATH) {
            throw invalid(field, field + " is " + text.length() + " characters long; at most " + MAX_QUERY_PATH
                    + " characters are accepted");
        }
        int control = RootPolicy.firstControl(text);
        if (control >= 0) {
            throw invalid(field, field + " " + RootPolicy.shown(text) + " has a control character at position " + control
                    + "; paths are printable text");
        }
    }

    // Taken as text: a boolean parameter would read anything but "true" as false, and "purge=yes" would keep the index.
    private static boolean purge(String text) {
        String value = text == null ? "" : text.strip();
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false") || value.isEmpty()) {
            return false;
        }
        throw invalid("purge", "purge must be true or false, not " + RootPolicy.shown(text));
    }

    // Taken as text: JAX-RS answers 404 to a query parameter it cannot convert, which would mislead.
    private static int limit(String text) {
        int limit;
        try {
            limit = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw badLimit("limit must be a whole number between 1 and " + MAX_PAGE + ", not " + RootPolicy.shown(text));
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw badLimit("limit must lie between 1 and " + MAX_PAGE + ", not " + limit);
        }
        return limit;
    }

    private static ProblemException badLimit(String detail) {
        return invalid("limit", detail);
    }

    private static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.of("invalid-field", 400, "A field of the request has an invalid value",
                detail).with("field", field));
    }
}
