package orrery.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An execution as {@link ExecutionMachine} sees it: the booking's terms, where it stands, and its
 * steps (ordered as they were created).
 *
 * @param plan    the preparation steps quoted with the offer
 * @param session what to run
 * @param late    preparation missed the booked start and the session starts late (START_LATE)
 */
public record Execution(UUID id, String owner, Phase phase, LatePolicy latePolicy, boolean late, Instant prepStart,
                        Instant startAt, Duration duration, int cores, int memory, List<PlannedStep> plan, SessionSpec session,
                        String sessionId, String connectUrl, Instant startedAt, Instant finishedAt, String reason,
                        List<Step> steps) {

    public Execution {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(phase, "phase");
        plan = List.copyOf(plan);
        steps = List.copyOf(steps);
    }

    /** When the booking ends. */
    public Instant end() {
        return startAt.plus(duration);
    }

    /** How long the session takes to start, as quoted. */
    public Duration startup() {
        return plan.stream().filter(p -> PlannedStep.STARTUP.equals(p.kind())).map(PlannedStep::cost).findFirst()
                .orElse(Duration.ZERO);
    }

    public Optional<Step> step(String taskId) {
        return steps.stream().filter(s -> s.taskId().equals(taskId)).findFirst();
    }

    /** The session folder, relative to the storage root. */
    public String folder() {
        return "home/" + owner + "/broker/" + id;
    }

    /** Task ids start with "eb-" so that the broker can tell its own tasks' reports from others'. */
    public String taskId(String what) {
        return TaskIds.PREFIX + id + "-" + what;
    }
}
