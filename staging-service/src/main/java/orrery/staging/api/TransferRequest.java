package orrery.staging.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import orrery.model.staging.StagingItem;

/**
 * {@code POST /api/v1/transfers}: stage one item into the caller's session folder.
 *
 * @param taskId optional, your own id for this transfer (1-128 letters, digits, '-' or '_'): retrying with
 *               the same taskId and content gets the same transfer, with different content a 409. It is
 *               namespaced per caller: the transfer's id is derived from your user name and it.
 */
public record TransferRequest(
        String taskId,
        @JsonProperty(required = true) String executionId,
        @JsonProperty(required = true) StagingItem item) {
}
