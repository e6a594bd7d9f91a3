package orrery.deps.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A build and its progress per artefact ({@code POST /api/v1/builds}, {@code GET /api/v1/builds/{id}}).
 *
 * @param state QUEUED, RUNNING, SUCCEEDED, FAILED, or INTERRUPTED (the service stopped during it)
 * @param trigger {@code request} (someone asked) or {@code change} (a source file changed)
 * @param owner the user who asked for it; absent for a build the service started itself (trigger {@code change})
 * @param steps the plan, in the order it is built: components in topological order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildView(String id, String target, String trigger, String owner, String state, Instant createdAt, Instant finishedAt,
                        List<StepView> steps, List<String> failures) {

    /** This view with {@code owner} as its owner. */
    public BuildView withOwner(String owner) {
        return new BuildView(id, target, trigger, owner, state, createdAt, finishedAt, steps, failures);
    }
}
