package orrery.model.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A participant's report on {@code sim.idle}: it has run every timer due in {@code epoch} and has
 * no work in flight, and wants to be woken at {@code nextWake} (null: only a message or a request
 * can give it work). {@code idleSince} counts its idle reports, so that the controller's
 * confirmation round can tell "still idle, as reported" from "was busy in between".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SimIdle(@JsonProperty(required = true) String participant, @JsonProperty(required = true) long epoch,
                      Instant nextWake, @JsonProperty(required = true) long idleSince) {

    public SimIdle {
        Objects.requireNonNull(participant, "participant");
    }
}
