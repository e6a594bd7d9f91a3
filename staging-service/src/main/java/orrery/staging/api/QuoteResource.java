package orrery.staging.api;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.staging.Checks;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import orrery.model.staging.StagingQuoteRequest;
import orrery.staging.service.QuoteService;
import orrery.support.rest.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The same quote as {@code quote.staging}, over HTTP. */
// Authenticated before the method runs (lazy authentication cannot resolve the token on the event loop).
@Authenticated
@Path("/api/v1/quotes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "quotes")
public class QuoteResource {

    private final Caller caller;
    private final QuoteService quotes;

    @Inject
    public QuoteResource(Caller caller, QuoteService quotes) {
        this.caller = caller;
        this.quotes = quotes;
    }

    @POST
    @Operation(summary = "How long would staging these items take?",
            description = "Per item: present or not, the expected cost (ISO-8601 duration) and how it was reached; "
                    + "totals for staging one after another and in parallel. An item that is already there but "
                    + "different, or whose source is not allowed, carries an error and makes the quote infeasible.")
    @APIResponse(responseCode = "200", description = "The quote")
    @APIResponse(responseCode = "400", description = "Bad user, execution id or item names (problem+json)")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    @APIResponse(responseCode = "403", description = "The request names another user's folder (problem+json)")
    public Uni<StagingQuote> quote(StagingQuoteRequest request) {
        String user = caller.name();
        RequestBodies.require(request);
        if (!user.equals(request.user())) {
            throw new ProblemException(Problem.of("forbidden", 403, "Not your folder",
                    "you can only quote staging into your own folder: give \"user\": \"" + user + "\""));
        }
        return quotes.quote(request);
    }

    @GET
    @Operation(summary = "How long would staging this one item take?",
            description = "The POST quote for a single item given in the query, into your own folder: handy from a "
                    + "browser or curl. The file name defaults to the last segment of the URL.")
    @APIResponse(responseCode = "200", description = "The quote")
    @APIResponse(responseCode = "400", description = "A missing or malformed parameter (problem+json names it)")
    @APIResponse(responseCode = "401", description = "No valid bearer token (problem+json)")
    public Uni<StagingQuote> quoteOne(@Parameter(description = "The execution whose folder receives the item", required = true)
                                      @QueryParam("executionId") String executionId,
                                      @Parameter(description = "Where to fetch it: http(s)://, file: or vos://", required = true)
                                      @QueryParam("url") String url,
                                      @Parameter(description = "File name in the session folder") @QueryParam("name") String name,
                                      @Parameter(description = "Expected size in bytes") @QueryParam("size") String size,
                                      @Parameter(description = "Expected MD5, 32 hexadecimal digits") @QueryParam("md5") String md5) {
        String user = caller.name();
        String source = required("url", url);
        StagingItem item = new StagingItem(name != null ? name : lastSegment(source), source, new Checks(size(size), md5(md5)));
        return quotes.quote(new StagingQuoteRequest(user, required("executionId", executionId), List.of(item)));
    }

    private static String required(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new ProblemException(Problem.of("missing-parameter", 400, "Missing parameter",
                    "give the query parameter " + parameter).with("field", parameter));
        }
        return value;
    }

    private static Long size(String text) {
        if (text == null) {
            return null;
        }
        try {
            long size = Long.parseLong(text);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below, as for a negative number
        }
        throw new ProblemException(Problem.of("invalid-size", 400, "Bad size",
                "size is \"" + text + "\"; give a whole number of bytes, 0 or more").with("field", "size"));
    }

    private static String md5(String text) {
        if (text != null && !text.matches("[0-9a-fA-F]{32}")) {
            throw new ProblemException(Problem.of("invalid-md5", 400, "Bad MD5",
                    "md5 is \"" + text + "\"; give 32 hexadecimal digits").with("field", "md5"));
        }
        return text;
    }

    private static String lastSegment(String url) {
        String path = url.replaceFirst("[?#].*$", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (last.isEmpty()) {
            throw new ProblemException(Problem.of("missing-parameter", 400, "Missing parameter",
                    "the URL ends in '/', so give the file name as the query parameter name").with("field", "name"));
        }
        return last;
    }
}
