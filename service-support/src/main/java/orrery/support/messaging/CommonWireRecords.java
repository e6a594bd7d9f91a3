package orrery.support.messaging;

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
import orrery.model.canfar.CanfarQuote;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.DeleteResult;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionEvent;
import orrery.model.envelope.Envelope;
import orrery.model.execution.ExecutionEvent;
import orrery.model.fs.FsEvent;
import orrery.model.problem.Problem;
import orrery.model.sim.SimBusy;
import orrery.model.sim.SimIdle;
import orrery.model.sim.SimJoin;
import orrery.model.sim.SimTime;
import orrery.model.staging.CancelTask;
import orrery.model.staging.Checks;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import orrery.model.staging.StagingQuoteRequest;
import orrery.model.staging.TransferResult;
import orrery.model.staging.TransferTask;
import orrery.model.task.TaskEvent;

/**
 * Every message record of common-model. They are bound to and from JSON by {@link
 * orrery.model.envelope.EnvelopeCodec}, out of Quarkus' sight, so a native image needs them
 * registered for reflection; naming them once here covers every service.
 */
@RegisterForReflection(targets = {Envelope.class, Problem.class, TaskEvent.class, TaskEvent.Progress.class,
        ExecutionEvent.class, Checks.class, StagingItem.class, StagingQuoteRequest.class, StagingQuote.class,
        StagingQuote.ItemQuote.class, DirectoryTask.class, TransferTask.class, CancelTask.class, TransferResult.class,
        LaunchTask.class, DeleteTask.class, LaunchResult.class, DeleteResult.class, SessionEvent.class,
        CanfarQuoteRequest.class, CanfarQuote.class, FsEvent.class, BuildRule.class, BuildTask.class, BuildInput.class,
        BuildOutput.class, BuildResult.class, HowToRequest.class, HowToReply.class, RuleAnnouncement.class,
        RulesDiscover.class, ArtefactEvent.class, SimTime.class, SimIdle.class, SimBusy.class, SimJoin.class})
public final class CommonWireRecords {

    private CommonWireRecords() {
    }
}
