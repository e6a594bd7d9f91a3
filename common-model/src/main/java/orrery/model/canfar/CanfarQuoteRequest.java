package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * {@code quote.canfar}: how long does a session of this image and size take to start, and can it run at all
 * (with these mounts, when it has any)?
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CanfarQuoteRequest(
        @JsonProperty(required = true) String image,
        @JsonProperty(required = true) SessionKind kind,
        @JsonProperty(required = true) int cores,
        @JsonProperty(required = true) int ram,
        List<VolumeMount> mounts) {

    public CanfarQuoteRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(kind, "kind");
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** A session without mounts. */
    public CanfarQuoteRequest(String image, SessionKind kind, int cores, int ram) {
        this(image, kind, cores, ram, null);
    }
}
