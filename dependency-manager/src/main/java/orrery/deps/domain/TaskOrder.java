package orrery.deps.domain;

import java.util.List;
import orrery.model.build.BuildInput;

/** A build task the run wants sent to {@code builder}. */
public record TaskOrder(String taskId, String buildId, Artefact artefact, String builder, List<BuildInput> inputs,
                        String recipe, int round) {
}
