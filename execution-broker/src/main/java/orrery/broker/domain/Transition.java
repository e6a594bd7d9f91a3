package orrery.broker.domain;

import java.util.List;

/** The outcome of one input: the execution's new state and what to do about it, in order. */
public record Transition(Execution next, List<Effect> effects) {

    public Transition {
        effects = List.copyOf(effects);
    }

    public boolean changesNothing(Execution before) {
        return effects.isEmpty() && next.equals(before);
    }
}
