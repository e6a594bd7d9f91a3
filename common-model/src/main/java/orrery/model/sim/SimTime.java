package orrery.model.sim;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * The controller's announcement on {@code sim.time}: virtual time is now {@code now}, in epoch
 * {@code epoch} (one per advance, increasing). Participants set their clocks, run every timer due
 * by {@code now}, and then report {@link SimIdle} for this epoch.
 */
public record SimTime(@JsonProperty(required = true) long epoch, @JsonProperty(required = true) Instant now) {

    public SimTime {
        Objects.requireNonNull(now, "now");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative but was " + epoch);
        }
    }
}
