package orrery.broker.api.ivoa;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import orrery.broker.api.OfferViews.CostsView;
import orrery.broker.api.OfferViews.ExecutionView;
import orrery.broker.api.OfferViews.OfferSetView;
import orrery.broker.api.OfferViews.OfferView;
import orrery.broker.api.OfferViews.ScheduleView;
import orrery.broker.domain.Phase;

/**
 * Renders offer sets and sessions in the ExecutionBroker shape. The body follows Calycopis v1.0
 * ({@code kind}, {@code meta {uuid, url, name, created}}, {@code phase},
 * {@code schedule {preparing, available, releasing}}) and also carries what draft-era clients read
 * ({@code uuid}, {@code href}, {@code schedule.executing}, {@code options}).
 *
 * <p>Phases map one to one, except FINISHING, which the standard calls RELEASING.
 */
final class IvoaViews {

    static final String OFFERSET_KIND = "https://www.purl.org/ivoa.net/EB/schema/v1.0/types/offerset/execution-offerset-1.0";
    static final String SESSION_KIND = "https://www.purl.org/ivoa.net/EB/schema/v1.0/types/session/scheduled-execution-session-1.0";
    static final String COMPUTE_KIND = "https://www.purl.org/ivoa.net/EB/schema/v1.0/types/compute/simple-compute-resource-1.0";

    static final String COST_KIND = "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/costs/simple-minmax-float-cost.yaml";
    static final String METRIC_KIND = "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/metrics/simple-minmax-float-metric.yaml";
    /** The monetary cost type the reference implementation uses, so that clients comparing brokers match it. */
    static final String MONETARY = "urn:ivoa:calycopis:cost:monetary";
    static final String CORE_HOURS = "urn:orrery:cost:core-hours";
    static final String CARBON = "urn:orrery:cost:carbon-gco2e";
    static final String START_DELAY = "urn:orrery:metric:start-delay-seconds";
    static final String PREPARATION = "urn:orrery:metric:preparation-seconds";

    /** Our phases in the standard's words. */
    static final Map<Phase, String> PHASES = Map.ofEntries(
            Map.entry(Phase.OFFERED, "OFFERED"), Map.entry(Phase.ACCEPTED, "ACCEPTED"), Map.entry(Phase.REJECTED, "REJECTED"),
            Map.entry(Phase.EXPIRED, "EXPIRED"), Map.entry(Phase.PREPARING, "PREPARING"), Map.entry(Phase.WAITING, "WAITING"),
            Map.entry(Phase.RUNNING, "RUNNING"), Map.entry(Phase.FINISHING, "RELEASING"),
            Map.entry(Phase.COMPLETED, "COMPLETED"), Map.entry(Phase.CANCELLED, "CANCELLED"), Map.entry(Phase.FAILED, "FAILED"));

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private IvoaViews() {
    }

    static ObjectNode offerSet(OfferSetView set, URI base) {
        ObjectNode node = NODES.objectNode();
        String url = base.resolve("ivoa/offersets/" + set.id()).toString();
        node.put("kind", OFFERSET_KIND);
        node.set("meta", meta(set.id().toString(), set.name() == null ? "offerset" : set.name(), url, set.created()));
        node.put("uuid", set.id().toString());
        node.put("href", url);
        node.put("result", set.result());
        node.put("expires", set.expires().toString());
        ArrayNode offers = node.putArray("offers");
        for (OfferView offer : set.offers()) {
            offers.add(session(offer.id().toString(), offer.phase(), offer.expires(), offer.schedule(), offer.compute().cores(),
                    offer.compute().memory(), null, base, set.created(), offer.costs()));
        }
        ArrayNode messages = node.putArray("messages");
        for (String reason : set.reasons()) {
            ObjectNode message = messages.addObject();
            message.put("level", "INFO".equals(set.result()) ? "INFO" : set.result().equals("NO") ? "WARN" : "INFO");
            message.put("template", reason);
        }
        return node;
    }

    static ObjectNode session(ExecutionView execution, URI base) {
        return session(execution.id().toString(), execution.phase(), execution.expires(), execution.schedule(),
                execution.compute().cores(), execution.compute().memory(), execution.reason(), base, execution.created(),
                execution.costs());
    }

    private static ObjectNode session(String id, String phase, Instant expires, ScheduleView schedule, int cores, int memory,
                                      String reason, URI base, Instant created, CostsView costs) {
        ObjectNode node = NODES.objectNode();
        String url = base.resolve("ivoa/sessions/" + id).toString();
        Phase ours = Phase.valueOf(phase);
        node.put("kind", SESSION_KIND);
        node.set("meta", meta(id, "session", url, created));
        node.put("uuid", id);
        node.put("href", url);
        node.put("phase", PHASES.get(ours));
        if (expires != null) {
            node.put("expires", expires.toString());
        }
        ObjectNode compute = node.putObject("compute");
        compute.put("kind", COMPUTE_KIND);
        compute.putObject("cores").put("min", cores).put("max", cores);
        compute.putObject("memory").put("min", memory).put("max", memory);
        ObjectNode times = node.putObject("schedule");
        span(times.putObject("preparing"), schedule.preparing().start(), schedule.preparing().duration());
        Instant start = schedule.executing().start();
        Duration duration = schedule.executing().duration();
        ObjectNode available = times.putObject("available");
        available.put("start", start + "/PT0S");
        available.put("duration", duration.toString());
        span(times.putObject("executing"), start, duration);
        span(times.putObject("releasing"), start.plus(duration), Duration.ZERO);
        costs(node, costs);
        ArrayNode options = node.putArray("options");
        List<String> next = switch (ours) {
            case OFFERED -> List.of("ACCEPTED", "REJECTED");
            case ACCEPTED, PREPARING, WAITING, RUNNING -> List.of("CANCELLED");
            default -> List.of();
        };
        if (!next.isEmpty()) {
            ObjectNode option = options.addObject();
            option.put("type", "uri:enum-value-option");
            option.put("path", "phase");
            ArrayNode values = option.putArray("values");
            next.forEach(values::add);
        }
        if (reason != null) {
            node.putArray("messages").addObject().put("level", "INFO").put("template", reason);
        }
        return node;
    }

    /**
     * The offer's costs and metrics as simple-minmax-float items, min = max: ours are exact numbers from the calendar
     * and the quotes, not ranges. Core-hours, start delay and preparation always; price and carbon where the pool has them.
     */
    private static void costs(ObjectNode node, CostsView costs) {
        ArrayNode list = node.putArray("costs");
        item(list.addObject(), COST_KIND, CORE_HOURS, "core-hours: cores times booked hours", costs.coreHours());
        if (costs.price() != null) {
            item(list.addObject(), COST_KIND, MONETARY, "price in " + costs.currency(), costs.price());
        }
        if (costs.gramsCo2() != null) {
            item(list.addObject(), COST_KIND, CARBON, "grams of CO2-equivalent the booked core-hours emit", costs.gramsCo2());
        }
        ArrayNode metrics = node.putArray("metrics");
        item(metrics.addObject(), METRIC_KIND, START_DELAY, "seconds from the request to the start", costs.startDelay().toSeconds());
        item(metrics.addObject(), METRIC_KIND, PREPARATION, "seconds of preparation (staging and start-up) before the start",
                costs.preparation().toSeconds());
    }

    private static ObjectNode item(ObjectNode item, String kind, String type, String description, double value) {
        return item.put("kind", kind).put("type", type).put("description", description).put("min", value).put("max", value);
    }

    private static ObjectNode meta(String id, String name, String url, Instant created) {
        ObjectNode meta = NODES.objectNode();
        meta.put("uuid", id);
        meta.put("name", name);
        meta.put("url", url);
        if (created != null) {
            meta.put("created", created.toString());
        }
        return meta;
    }

    private static void span(ObjectNode node, Instant start, Duration duration) {
        node.put("start", start.toString());
        node.put("duration", duration.toString());
    }
}
