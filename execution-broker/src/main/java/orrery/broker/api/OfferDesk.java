package orrery.broker.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import orrery.broker.api.OfferViews.OfferSetView;
import orrery.broker.config.BrokerConfig;
import orrery.broker.domain.CoreHourBudget;
import orrery.broker.domain.StorageQuota;
import orrery.broker.service.OfferIntent;
import orrery.broker.service.OfferService;
import orrery.broker.service.Prices;
import orrery.model.time.TimeSource;

/** Where both APIs (ours and IVOA's) ask for offers: the request is checked, planned, and shown. */
@ApplicationScoped
public class OfferDesk {

    private final OfferService offers;
    private final ExecutionViews views;
    private final BrokerConfig.Offers config;
    private final TimeSource time;
    private final ObjectMapper json;
    private final Prices prices;
    private final int sessionStorageGib;

    public OfferDesk(OfferService offers, ExecutionViews views, BrokerConfig config, TimeSource time, ObjectMapper json,
                     Prices prices) {
        this.prices = prices;
        this.sessionStorageGib = config.quota().sessionStorageGib();
        this.offers = offers;
        this.views = views;
        this.config = config.offers();
        this.time = time;
        this.json = json;
    }

    /** Offers for {@code request} (a 400 problem naming the field if it is not a valid request). */
    public Uni<OfferSetView> ask(String owner, OfferSetRequest request) {
        OfferIntent intent = OfferRequests.read(request, config, time.now());
        int[] storage = OfferRequests.storage(request);
        String requestJson = json.valueToTree(request).toString();
        long dataBytes = intent.items().stream().mapToLong(item -> item.checks().size() == null ? 0 : item.checks().size()).sum();
        Optional<String> noRoom = StorageQuota.refusal(storage == null ? null : storage[0], storage == null ? null : storage[1],
                dataBytes, sessionStorageGib);
        if (noRoom.isPresent()) {
            return offers.answerNo(owner, intent.name(), requestJson, List.of(noRoom.get())).map(views::offerSet);
        }
        CoreHourBudget.Fitted fitted = CostLimits.apply(request.limits(), intent.ask(), prices.of(intent.pool()));
        if (fitted.refusal() != null) {
            return offers.answerNo(owner, intent.name(), requestJson, List.of(fitted.refusal())).map(views::offerSet);
        }
        OfferIntent within = new OfferIntent(intent.name(), intent.pool(), fitted.ask(), intent.items(), intent.session());
        return offers.create(owner, within, requestJson).map(views::offerSet);
    }
}
