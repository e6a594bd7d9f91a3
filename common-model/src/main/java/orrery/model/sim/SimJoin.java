package orrery.model.sim;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * On {@code sim.join} (and {@code sim.leave}): a participant takes part in (or leaves) the
 * simulation. A participant that restarts joins again under the same name and replaces its
 * earlier self; the controller holds time while an expected participant has not joined.
 */
public record SimJoin(@JsonProperty(required = true) String participant) {

    public SimJoin {
        Objects.requireNonNull(participant, "participant");
    }
}
