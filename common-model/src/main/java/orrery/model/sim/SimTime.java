package orrery.model.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The controller's announcement on {@code sim.time}: virtual time is now {@code now}, in epoch
 * {@code epoch} (one per advance, increasing). Participants set their clocks, run every timer due
 * by {@code now}, and then report {@link SimIdle} for this epoch.
 *
 * <p>{@code woken} names the participants whose reported wake-up this instant is (empty at
 * epoch 0 and in answers to {@code sim.join} and {@code sim.now}). Every other participant was
 * idle with a later wake-up (or none) when time moved, so it has no timer due now: a participant
 * woken alone knows that nothing else is due at this instant, and need not wait for the instant
 * to settle before it acts (the replay uses this to save an advance per request).
 */
public record SimTime(@JsonProperty(required = true) long epoch, @JsonProperty(required = true) Instant now,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) Set<String> woken) {

    public SimTime {
        Objects.requireNonNull(now, "now");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative but was " + epoch);
        }
        woken = woken == null ? Set.of() : Set.copyOf(woken);
    }

    /** A time that is nobody's wake-up in particular (epoch 0, answers to a join). */
    public SimTime(long epoch, Instant now) {
        this(epoch, now, Set.of());
    }

    /** Whether this instant is {@code participant}'s wake-up and nobody else's. */
    public boolean wokenAlone(String participant) {
        return woken.size() == 1 && woken.contains(participant);
    }
}
