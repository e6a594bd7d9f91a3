package orrery.deps.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import orrery.deps.domain.Artefact;
import orrery.deps.domain.BuildEvent;
import orrery.deps.domain.BuildRun;

/** A build and its events as the records the API answers with and the database keeps. Used under the lock. */
final class BuildViews {

    private BuildViews() {
    }

    static BuildView build(BuildRecord record) {
        List<StepView> steps = new ArrayList<>();
        List<String> failures = List.of();
        if (record.run != null) {
            for (BuildRun.Step step : record.run.steps()) {
                Artefact a = step.artefact();
                steps.add(new StepView(a.id(), a.key(), step.status().name(), step.rounds(), step.changed(),
                        a.sha256(), step.taskId(), step.reason()));
            }
            failures = record.run.failures();
        }
        return new BuildView(record.id, record.target == null ? null : record.target.key(), record.trigger,
                record.owner, record.phase.name(), record.createdAt, record.finishedAt, steps, failures);
    }

    static BuildEventView event(String buildId, BuildEvent event, Instant time) {
        return new BuildEventView(buildId, event.sequence(), time, event.kind().name(), event.artefactId(),
                event.artefact(), event.round() == 0 ? null : event.round(), event.sha256(),
                event.kind() == BuildEvent.Kind.BUILT ? event.changed() : null, event.message());
    }
}
