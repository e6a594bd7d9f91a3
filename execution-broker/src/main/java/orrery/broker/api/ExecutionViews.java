package orrery.broker.api;

import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import orrery.broker.api.OfferViews.ComputeView;
import orrery.broker.api.OfferViews.ExecutionPage;
import orrery.broker.api.OfferViews.ExecutionView;
import orrery.broker.api.OfferViews.OfferSetView;
import orrery.broker.api.OfferViews.OfferView;
import orrery.broker.api.OfferViews.PlannedStepView;
import orrery.broker.api.OfferViews.ScheduleView;
import orrery.broker.api.OfferViews.SessionView;
import orrery.broker.api.OfferViews.TaskView;
import orrery.broker.domain.OfferCosts;
import orrery.broker.service.OfferService;
import orrery.broker.service.Prices;
import orrery.broker.store.ExecutionEntity;
import orrery.broker.store.ExecutionStates;
import orrery.broker.store.StepEntity;

/** Maps offer sets and executions, as the service finds them, to what the API returns. */
@ApplicationScoped
public class ExecutionViews {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final ExecutionStates states;
    private final Prices prices;

    public ExecutionViews(ExecutionStates states, Prices prices) {
        this.states = states;
        this.prices = prices;
    }

    public OfferSetView offerSet(OfferService.OfferSet found) {
        var set = found.set();
        return new OfferSetView(set.id, set.name, set.result, set.createdAt, set.expiresAt,
                found.offers().stream().map(row -> OfferView.of(row, costs(row))).toList(), states.read(set.reasons, STRINGS), "/api/v1/offersets/" + set.id);
    }

    public ExecutionView execution(OfferService.Found found) {
        return execution(found.execution(), found.steps());
    }

    public ExecutionView execution(ExecutionEntity row) {
        return execution(row, List.of());
    }

    public ExecutionPage page(OfferService.Page page) {
        return new ExecutionPage(page.executions().stream().map(this::execution).toList(), page.page(), page.size(), page.total());
    }

    private ExecutionView execution(ExecutionEntity row, List<StepEntity> steps) {
        SessionView session = row.sessionId == null ? null : new SessionView(row.sessionId, row.connectUrl, row.startedAt, row.finishedAt);
        List<TaskView> tasks = steps.isEmpty() ? null : steps.stream().map(ExecutionViews::task).toList();
        return new ExecutionView(row.id, row.offerSetId, row.name, row.phase.name(), row.expiresAt, ScheduleView.of(row),
                new ComputeView(row.cores, row.memory), row.pool, states.plan(row).stream().map(PlannedStepView::of).toList(),
                row.reason, row.latePolicy == null ? null : row.latePolicy.name(), row.late ? Boolean.TRUE : null, session, tasks,
                row.createdAt, row.updatedAt, OfferViews.CostsView.of(costs(row)));
    }

    /** What the offer (or the execution it became) costs, on its pool's prices. */
    private OfferCosts costs(ExecutionEntity row) {
        return OfferCosts.of(row.cores, row.duration(), row.preparation(), row.startAt, row.createdAt, prices.of(row.pool));
    }

    private static TaskView task(StepEntity step) {
        return new TaskView(step.taskId, step.kind.wireName(), step.name, step.state.name(), Duration.ofSeconds(step.costSeconds),
                step.progressDone, step.progressTotal, step.reason);
    }
}
