package orrery.broker.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import orrery.broker.domain.Execution;
import orrery.broker.domain.PlannedStep;
import orrery.broker.domain.SessionSpec;
import orrery.broker.domain.Step;

/**
 * Between the rows and {@link Execution}, the state {@code ExecutionMachine} works on: the plan
 * and the session are read from their JSON columns once per transition, and a new state is written
 * back onto the same (managed) rows.
 */
@ApplicationScoped
public class ExecutionStates {

    private static final TypeReference<List<PlannedStep>> PLAN = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public ExecutionStates(ObjectMapper json) {
        this.json = json;
    }

    public Execution of(ExecutionEntity row, List<StepEntity> steps) {
        return new Execution(row.id, row.owner, row.phase, row.latePolicy, row.late, row.prepStart, row.startAt, row.duration(),
                row.cores, row.memory, plan(row), read(row.session, SessionSpec.class), row.sessionId, row.connectUrl,
                row.startedAt, row.finishedAt, row.reason, steps.stream().map(ExecutionStates::step).toList());
    }

    /** The plan quoted with the offer. */
    public List<PlannedStep> plan(ExecutionEntity row) {
        return read(row.steps, PLAN);
    }

    /**
     * Writes {@code next} onto the row and its step rows; returns the step rows that are new (to
     * persist).
     */
    public List<StepEntity> write(Execution next, ExecutionEntity row, List<StepEntity> steps) {
        row.phase = next.phase();
        row.latePolicy = next.latePolicy();
        row.late = next.late();
        row.sessionId = next.sessionId();
        row.connectUrl = next.connectUrl();
        row.startedAt = next.startedAt();
        row.finishedAt = next.finishedAt();
        row.reason = next.reason();
        Map<String, StepEntity> existing = steps.stream().collect(Collectors.toMap(s -> s.taskId, Function.identity()));
        List<StepEntity> created = new ArrayList<>();
        for (Step step : next.steps()) {
            StepEntity target = existing.get(step.taskId());
            if (target == null) {
                target = new StepEntity();
                target.taskId = step.taskId();
                target.executionId = row.id;
                created.add(target);
            }
            copy(step, target);
        }
        return created;
    }

    private static Step step(StepEntity row) {
        return new Step(row.taskId, row.kind, row.name, row.state, Duration.ofSeconds(row.costSeconds), row.sequence, row.lamport,
                row.progressDone, row.progressTotal, row.reason, row.result, row.dispatchedAt, row.createdAt, row.updatedAt);
    }

    private static void copy(Step step, StepEntity row) {
        row.kind = step.kind();
        row.name = step.name();
        row.state = step.status();
        row.costSeconds = step.cost().getSeconds();
        row.sequence = step.sequence();
        row.lamport = step.lamport();
        row.progressDone = step.progressDone();
        row.progressTotal = step.progressTotal();
        row.reason = step.reason();
        row.result = step.result();
        row.dispatchedAt = step.dispatchedAt();
        row.createdAt = step.createdAt();
        row.updatedAt = step.updatedAt();
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
