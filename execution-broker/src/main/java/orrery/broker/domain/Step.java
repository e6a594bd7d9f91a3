package orrery.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A task the broker sent (or will send) for an execution, and what its owner last reported.
 *
 * @param taskId       {@code eb-<execution>-<what>}; also the command's message id
 * @param name         for STAGE: the file name in the session folder
 * @param sequence     the highest report sequence applied; older reports are stale
 * @param result       the owner's result as JSON text, when it completed
 * @param dispatchedAt when its command was put in the outbox, null if not yet
 */
public record Step(String taskId, StepKind kind, String name, StepStatus status, Duration cost, long sequence, long lamport,
                   Long progressDone, Long progressTotal, String reason, String result, Instant dispatchedAt,
                   Instant createdAt, Instant updatedAt) {

    public Step {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
    }

    static Step created(String taskId, StepKind kind, String name, Duration cost, Instant now) {
        return new Step(taskId, kind, name, StepStatus.CREATED, cost, 0, 0, null, null, null, null, null, now, now);
    }

    public boolean isFinal() {
        return status.isFinal();
    }

    Step dispatched(Instant now) {
        return new Step(taskId, kind, name, status, cost, sequence, lamport, progressDone, progressTotal, reason, result, now,
                createdAt, updatedAt);
    }

    Step cancelled(String why, Instant now) {
        return new Step(taskId, kind, name, StepStatus.CANCELLED, cost, sequence, lamport, progressDone, progressTotal, why,
                result, dispatchedAt, createdAt, now);
    }

    /** A launch step whose session was seen before the launch's own report came: it succeeded. */
    Step seenLaunched(Instant now) {
        return new Step(taskId, kind, name, StepStatus.COMPLETED, cost, sequence, lamport, progressDone, progressTotal, reason,
                result, dispatchedAt, createdAt, now);
    }

    /** This step after {@code report} (which is newer than anything applied). */
    Step reported(ExecutionInput.StepReport report, Instant now) {
        StepStatus next = switch (report.state()) {
            case RUNNING -> StepStatus.RUNNING;
            case COMPLETED -> StepStatus.COMPLETED;
            case FAILED -> StepStatus.FAILED;
            case CANCELLED -> StepStatus.CANCELLED;
        };
        // a final report may carry the last progress too (a finished transfer: every byte)
        boolean progressed = report.progressDone() != null;
        return new Step(taskId, kind, name, next, cost, report.sequence(), Math.max(lamport, report.lamport()),
                progressed ? report.progressDone() : progressDone, progressed ? report.progressTotal() : progressTotal,
                next == StepStatus.FAILED || next == StepStatus.CANCELLED ? report.reason() : reason,
                next == StepStatus.COMPLETED ? report.result() : result, dispatchedAt, createdAt, now);
    }
}
