package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** {@code quote.canfar}: how long does a session of this image and size take to start, and can it run at all? */
public record CanfarQuoteRequest(
        @JsonProperty(required = true) String image,
        @JsonProperty(required = true) SessionKind kind,
        @JsonProperty(required = true) int cores,
        @JsonProperty(required = true) int ram) {

    public CanfarQuoteRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(kind, "kind");
    }
}
