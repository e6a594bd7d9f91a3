package orrery.broker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import orrery.broker.domain.OfferCosts;
import orrery.broker.domain.PlannedStep;
import orrery.broker.store.ExecutionEntity;
import orrery.model.staging.Checks;

/** What the offer and execution endpoints return. */
public final class OfferViews {

    private OfferViews() {
    }

    /** A span of time: start and length. */
    public record Span(Instant start, Duration duration) {
    }

    /** When an offer prepares and when it runs. */
    public record ScheduleView(Span preparing, Span executing) {

        public static ScheduleView of(ExecutionEntity row) {
            return new ScheduleView(new Span(row.prepStart, row.preparation()), new Span(row.startAt, row.duration()));
        }
    }

    /** The compute an offer holds. */
    public record ComputeView(int cores, int memory) {
    }

    /** One offer of an offer set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OfferView(UUID id, String phase, Instant expires, ScheduleView schedule, ComputeView compute, String pool,
                            String href, CostsView costs) {

        public static OfferView of(ExecutionEntity row, OfferCosts costs) {
            return new OfferView(row.id, row.phase.name(), row.expiresAt, ScheduleView.of(row), new ComputeView(row.cores, row.memory),
                    row.pool, "/api/v1/executions/" + row.id, CostsView.of(costs));
        }
    }

    /**
     * What an offer costs ({@link OfferCosts}): core-hours always, price (with its currency) and grams of CO2e
     * where the pool is priced, the delay from the request to the start, and the preparation.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CostsView(double coreHours, Double price, String currency, Double gramsCo2, Duration startDelay,
                            Duration preparation) {

        public static CostsView of(OfferCosts costs) {
            return new CostsView(costs.coreHours(), costs.price(), costs.currency(), costs.gramsCo2(), costs.startDelay(),
                    costs.preparation());
        }
    }

    /** An offer set: YES with offers, or NO with reasons. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OfferSetView(UUID id, String name, String result, Instant created, Instant expires, List<OfferView> offers,
                               List<String> reasons, String href) {
    }

    /** An offer or execution, in full. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExecutionView(UUID id, UUID offerSet, String name, String phase, Instant expires, ScheduleView schedule,
                                ComputeView compute, String pool, List<PlannedStepView> steps, String reason, String latePolicy,
                                Boolean late, SessionView session, List<TaskView> tasks, Instant created, Instant updated,
                                CostsView costs) {
    }

    /** One preparation step of an offer, with the cost its owning service quoted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlannedStepView(String kind, String name, Duration cost, String url, Checks checks) {

        public static PlannedStepView of(PlannedStep step) {
            return new PlannedStepView(step.kind(), step.name(), step.cost(), step.url(), step.checks());
        }
    }

    /** The science-platform session of an execution. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SessionView(String id, String connectUrl, Instant started, Instant finished) {
    }

    /** A task the broker sent for an execution, as its owner last reported it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskView(String id, String kind, String name, String state, Duration cost, Long done, Long total,
                           String reason) {
    }

    /** One phase change, as the events stream sends it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PhaseView(String execution, String phase, String previous, String reason, Instant at, long lamport) {
    }

    /** A page of executions. */
    public record ExecutionPage(List<ExecutionView> items, int page, int size, long total) {
    }
}
