package orrery.broker.domain;

import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.SessionEvent;
import orrery.model.task.TaskState;

/** Something that happens to an execution: a decision, the clock, or a service's report. */
public sealed interface ExecutionInput {

    /** The owner accepted the offer. */
    record Accept(LatePolicy latePolicy) implements ExecutionInput {
    }

    /** The owner cancelled the execution. */
    record Cancel(String reason) implements ExecutionInput {
    }

    /** The execution's due time came. */
    record Due() implements ExecutionInput {
    }

    /**
     * A service reported on one of the execution's tasks.
     *
     * @param progressDone null when the report carries no progress
     * @param result       the result as JSON text (COMPLETED), stored with the step
     * @param launched     for a completed launch: the session it started
     * @param lamport      the report's Lamport clock
     */
    record StepReport(String taskId, long sequence, TaskState state, Long progressDone, Long progressTotal, String result,
                      LaunchResult launched, String reason, long lamport) implements ExecutionInput {
    }

    /** The canfar adapter saw the execution's session change. */
    record SessionChange(SessionEvent event) implements ExecutionInput {
    }

    /** A message the execution needed could never be sent. */
    record Undeliverable(String why) implements ExecutionInput {
    }
}
