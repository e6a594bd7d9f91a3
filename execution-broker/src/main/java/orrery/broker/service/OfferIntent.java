package orrery.broker.service;

import java.util.List;
import orrery.broker.domain.OfferAsk;
import orrery.broker.domain.SessionSpec;
import orrery.model.staging.StagingItem;

/**
 * A validated offer-set request: what to plan ({@code ask}), what to stage (the notebook or
 * program first, then the data), and what session to run.
 */
public record OfferIntent(String name, String pool, OfferAsk ask, List<StagingItem> items, SessionSpec session) {

    public OfferIntent {
        items = List.copyOf(items);
    }
}
