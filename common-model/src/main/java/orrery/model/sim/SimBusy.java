package orrery.model.sim;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * A participant's answer on {@code sim.status} (and its note on {@code sim.busy} when it leaves
 * idle): how much work it holds and what, so that a leak (work that never ends, which holds
 * simulated time for ever) can be named.
 *
 * @param holds a short description of each piece of work in flight, oldest first
 */
public record SimBusy(@JsonProperty(required = true) String participant, @JsonProperty(required = true) long epoch,
                      @JsonProperty(required = true) int inFlight, List<String> holds, long idleSince) {

    public SimBusy {
        Objects.requireNonNull(participant, "participant");
        holds = holds == null ? List.of() : List.copyOf(holds);
    }
}
