package orrery.canfar.backend.skaha;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** {@code GET /context}: the cores and memory (GB) sizes sessions may ask for. */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection
public record SkahaContext(Sizes cores, Sizes memoryGB, Sizes gpus) {

    /** A resource's default and the values offered. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @RegisterForReflection
    public record Sizes(@JsonProperty("default") Integer defaultValue, List<Integer> options) {

        public boolean offers(int value) {
            return options == null || options.isEmpty() || options.contains(value);
        }
    }
}
