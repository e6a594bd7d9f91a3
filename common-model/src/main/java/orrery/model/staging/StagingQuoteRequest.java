package orrery.model.staging;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** {@code quote.staging}: how long would staging these items into this execution's folder take? */
public record StagingQuoteRequest(
        @JsonProperty(required = true) String user,
        @JsonProperty(required = true) String executionId,
        @JsonProperty(required = true) List<StagingItem> items) {

    public StagingQuoteRequest {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(executionId, "executionId");
        items = List.copyOf(items);
    }
}
