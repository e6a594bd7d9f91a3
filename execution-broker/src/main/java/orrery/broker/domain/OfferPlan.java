package orrery.broker.domain;

import java.util.List;

/** The planner's answer: offers (possibly none) and, when there are few or none, why. */
public record OfferPlan(List<PlannedOffer> offers, List<String> reasons) {

    public OfferPlan {
        offers = List.copyOf(offers);
        reasons = List.copyOf(reasons);
    }

    public boolean yes() {
        return !offers.isEmpty();
    }
}
