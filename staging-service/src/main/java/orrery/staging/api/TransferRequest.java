package orrery.staging.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import orrery.model.staging.StagingItem;

/**
 * {@code POST /api/v1/transfers}: stage one item into the caller's session folder.
 *
 * @param taskId optional; give one to make retries of this request idempotent
 */
public record TransferRequest(
        String taskId,
        @JsonProperty(required = true) String executionId,
        @JsonProperty(required = true) StagingItem item) {
}
