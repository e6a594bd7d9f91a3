package orrery.staging.service;

import java.time.Duration;
import orrery.model.task.TaskState;
import orrery.staging.domain.StoredFile;
import orrery.staging.service.transfer.TransferOutcome;

/** How a task ended, in the terms the task table stores. */
record FinalState(TaskState state, String reason, StoredFile file, boolean transferred, long fetched, Duration elapsed) {

    static FinalState of(TransferOutcome outcome) {
        if (outcome instanceof TransferOutcome.Completed done) {
            return new FinalState(TaskState.COMPLETED, null, done.file(), done.transferred(), done.fetched(), done.elapsed());
        }
        if (outcome instanceof TransferOutcome.Failed failed) {
            return failed(failed.reason());
        }
        return new FinalState(TaskState.CANCELLED, "cancelled on request", null, false, 0, Duration.ZERO);
    }

    static FinalState completed() {
        return new FinalState(TaskState.COMPLETED, null, null, false, 0, Duration.ZERO);
    }

    static FinalState failed(String reason) {
        return new FinalState(TaskState.FAILED, reason, null, false, 0, Duration.ZERO);
    }
}
