package orrery.staging.api;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.staging.StagingQuote;
import orrery.model.staging.StagingQuoteRequest;
import orrery.staging.tasks.QuoteService;
import orrery.support.rest.Callers;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The same quote as {@code quote.staging}, over HTTP. */
@Path("/api/v1/quotes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "quotes")
public class QuoteResource {

    @Inject
    QuoteService quotes;

    @POST
    @Operation(summary = "How long would staging these items take?",
            description = "Per item: present or not, the expected cost (ISO-8601 duration) and how it was reached; "
                    + "totals for staging one after another and in parallel. An item that is already there but "
                    + "different, or whose source is not allowed, carries an error and makes the quote infeasible.")
    @APIResponse(responseCode = "200", description = "The quote")
    @APIResponse(responseCode = "400", description = "Bad user, execution id or item names (problem+json)")
    public Uni<StagingQuote> quote(@Parameter(hidden = true) @Context HttpHeaders headers, StagingQuoteRequest request) {
        String caller = Callers.require(headers);
        if (!caller.equals(request.user())) {
            throw new ProblemException(Problem.of("forbidden", 403, "Not your folder",
                    "you can only quote staging into your own folder (user " + caller + ")"));
        }
        return quotes.quote(request);
    }
}
