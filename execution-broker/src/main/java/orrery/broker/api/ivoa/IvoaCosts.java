package orrery.broker.api.ivoa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import orrery.broker.api.OfferSetRequest;

/**
 * A request's {@code costs} (simple-minmax-float-cost items) as our limits: a {@code max} of the
 * monetary type (the reference implementation's {@code urn:ivoa:calycopis:cost:monetary}), of
 * core-hours or of carbon ({@link IvoaViews#CORE_HOURS}, {@link IvoaViews#CARBON}) bounds every
 * offer. A cost or metric we cannot promise (another type, a minimum performance) is a reason for
 * NO rather than something quietly ignored.
 */
final class IvoaCosts {

    private IvoaCosts() {
    }

    static OfferSetRequest.Limits limits(JsonNode costs, JsonNode metrics, List<String> unsupported) {
        Double maxCoreHours = null;
        Double maxPrice = null;
        Double maxCarbon = null;
        for (JsonNode cost : costs.isArray() ? costs : List.<JsonNode>of()) {
            String type = cost.path("type").asText("").toLowerCase(Locale.ROOT);
            Double max = cost.path("max").isNumber() ? cost.path("max").asDouble() : null;
            if (max == null) {
                continue; // a minimum cost asks for nothing we could fail to keep
            }
            if (type.contains("monetary")) {
                maxPrice = min(maxPrice, max);
            } else if (type.equals(IvoaViews.CORE_HOURS)) {
                maxCoreHours = min(maxCoreHours, max);
            } else if (type.equals(IvoaViews.CARBON) || type.contains("carbon")) {
                maxCarbon = min(maxCarbon, max);
            } else {
                unsupported.add("cost type '" + cost.path("type").asText("") + "' is not one this broker prices; it "
                        + "prices " + IvoaViews.MONETARY + ", " + IvoaViews.CORE_HOURS + " and " + IvoaViews.CARBON);
            }
        }
        for (JsonNode metric : metrics.isArray() ? metrics : List.<JsonNode>of()) {
            unsupported.add("metric '" + metric.path("type").asText("") + "' is not one this broker can promise; its offers "
                    + "report " + IvoaViews.START_DELAY + " and " + IvoaViews.PREPARATION);
        }
        return maxCoreHours == null && maxPrice == null && maxCarbon == null ? null
                : new OfferSetRequest.Limits(maxCoreHours, maxPrice, maxCarbon);
    }

    private static Double min(Double current, double value) {
        return current == null ? value : Math.min(current, value);
    }
}
