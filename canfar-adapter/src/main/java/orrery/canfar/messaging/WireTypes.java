package orrery.canfar.messaging;

import io.quarkus.runtime.annotations.RegisterForReflection;
import orrery.model.canfar.CanfarQuote;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.DeleteResult;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionEvent;
import orrery.model.task.TaskEvent;

/**
 * The message records this service binds from and to JSON trees ({@code EnvelopeCodec.data} and
 * {@code tree}); Quarkus cannot see those uses, so a native image needs them named here.
 */
@RegisterForReflection(targets = {LaunchTask.class, DeleteTask.class, LaunchResult.class, DeleteResult.class,
        SessionEvent.class, CanfarQuoteRequest.class, CanfarQuote.class, TaskEvent.class, TaskEvent.Progress.class})
public final class WireTypes {

    private WireTypes() {
    }
}
