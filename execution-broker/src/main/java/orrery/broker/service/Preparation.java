package orrery.broker.service;

import java.time.Duration;
import java.util.List;
import orrery.broker.domain.PlannedStep;

/**
 * What preparing an execution takes: the steps with their quoted costs, the total (sum of the
 * sequential parts, the longest of the parallel ones), and anything that makes it impossible.
 */
public record Preparation(List<PlannedStep> steps, Duration cost, List<String> problems, List<String> notes) {

    public Preparation {
        steps = List.copyOf(steps);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    public boolean feasible() {
        return problems.isEmpty();
    }
}
