package orrery.model.staging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;

/**
 * The answer to {@link StagingQuoteRequest}.
 *
 * @param sequential time to stage the items one after another
 * @param parallel time to stage them all at once (the slowest item)
 * @param feasible false when some item cannot be staged (see its {@code error})
 */
public record StagingQuote(List<ItemQuote> items, Duration sequential, Duration parallel, boolean feasible) {

    public StagingQuote {
        items = List.copyOf(items);
    }

    /**
     * One item's quote.
     *
     * @param present the file is already in place with matching checks
     * @param cost expected time to make it present
     * @param reason how the cost was reached, e.g. "present", "1.2 GB at 40 MB/s measured from example.org"
     * @param error set when staging this item would fail (then the item is not feasible)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemQuote(String name, boolean present, Duration cost, String reason, String error) {
    }
}
