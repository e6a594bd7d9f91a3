package orrery.broker.api;

import java.util.ArrayList;
import java.util.List;
import orrery.broker.domain.CoreHourBudget;
import orrery.broker.domain.OfferAsk;
import orrery.broker.domain.PoolPrice;

/**
 * A request's {@link OfferSetRequest.Limits} on the pool's price table, as one budget in
 * core-hours (the tightest of them) applied to the ask before planning ({@link CoreHourBudget}).
 */
final class CostLimits {

    private CostLimits() {
    }

    /** The ask within the limits, the ask itself without any, or a refusal to answer NO with. */
    static CoreHourBudget.Fitted apply(OfferSetRequest.Limits limits, OfferAsk ask, PoolPrice price) {
        if (limits == null) {
            return new CoreHourBudget.Fitted(ask, null);
        }
        double budget = Double.POSITIVE_INFINITY;
        List<String> whats = new ArrayList<>();
        if (limits.maxCoreHours() != null) {
            budget = Math.min(budget, checked(limits.maxCoreHours(), "limits.maxCoreHours"));
            whats.add("the most core-hours asked for (" + limits.maxCoreHours() + ")");
        }
        if (limits.maxPrice() != null) {
            double maxPrice = checked(limits.maxPrice(), "limits.maxPrice");
            if (price.perCoreHour().isPresent() && price.perCoreHour().get() > 0) {
                budget = Math.min(budget, maxPrice / price.perCoreHour().get());
                whats.add("the most price asked for (" + maxPrice + " " + price.currency() + " at "
                        + price.perCoreHour().get() + " a core-hour)");
            }
        }
        if (limits.maxGramsCo2() != null) {
            double maxGrams = checked(limits.maxGramsCo2(), "limits.maxGramsCo2");
            if (price.gramsCo2PerCoreHour().isEmpty()) {
                return new CoreHourBudget.Fitted(null, "this pool has no carbon intensity configured, so a most carbon of "
                        + maxGrams + " g CO2e cannot be kept");
            }
            if (price.gramsCo2PerCoreHour().get() > 0) {
                budget = Math.min(budget, maxGrams / price.gramsCo2PerCoreHour().get());
                whats.add("the most carbon asked for (" + maxGrams + " g CO2e at " + price.gramsCo2PerCoreHour().get()
                        + " g a core-hour)");
            }
        }
        return Double.isInfinite(budget) ? new CoreHourBudget.Fitted(ask, null)
                : CoreHourBudget.fit(ask, budget, String.join(" and ", whats));
    }

    private static double checked(double limit, String field) {
        if (Double.isNaN(limit) || limit < 0) {
            throw RequestLimits.invalid(field, field + " must be a number of at least 0, was " + limit);
        }
        return limit;
    }
}
