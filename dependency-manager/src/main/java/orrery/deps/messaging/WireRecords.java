package orrery.deps.messaging;

import io.quarkus.runtime.annotations.RegisterForReflection;
import orrery.model.build.ArtefactEvent;
import orrery.model.build.BuildInput;
import orrery.model.build.BuildOutput;
import orrery.model.build.BuildResult;
import orrery.model.build.BuildRule;
import orrery.model.build.BuildTask;
import orrery.model.build.HowToReply;
import orrery.model.build.HowToRequest;
import orrery.model.build.RuleAnnouncement;
import orrery.model.build.RulesDiscover;
import orrery.model.fs.FsEvent;
import orrery.model.task.TaskEvent;

/**
 * The message records this service binds from or to JSON trees ({@code EnvelopeCodec.data},
 * {@code valueToTree}). Quarkus sees records used by REST resources, not these, so a native image
 * needs them named here.
 */
@RegisterForReflection(targets = {ArtefactEvent.class, BuildInput.class, BuildOutput.class, BuildResult.class,
        BuildRule.class, BuildTask.class, HowToReply.class, HowToRequest.class, RuleAnnouncement.class,
        RulesDiscover.class, FsEvent.class, TaskEvent.class, TaskEvent.Progress.class})
final class WireRecords {

    private WireRecords() {
    }
}
