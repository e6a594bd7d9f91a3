package orrery.staging.service.transfer;

import java.time.Duration;
import orrery.staging.domain.StoredFile;

/** How a transfer ended. */
public sealed interface TransferOutcome {

    /**
     * The file is in place and verified.
     *
     * @param transferred false when it was already there and nothing was fetched
     * @param fetched bytes actually fetched in the last attempt (for the rate average)
     */
    record Completed(StoredFile file, boolean transferred, long fetched, Duration elapsed) implements TransferOutcome {
    }

    /** The transfer cannot succeed; {@code reason} says why and what to do. */
    record Failed(String reason) implements TransferOutcome {
    }

    /** Someone cancelled it; what it wrote was removed. */
    record Cancelled() implements TransferOutcome {
    }
}
