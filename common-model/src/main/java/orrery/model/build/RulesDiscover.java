package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonProperty;

/** On {@code rules.discover}: "builders, announce your rules again", for example from a manager that just started. */
public record RulesDiscover(@JsonProperty(required = true) String requester) {

    public RulesDiscover {
        if (requester == null || requester.isBlank()) {
            throw new IllegalArgumentException("requester is required");
        }
    }
}
