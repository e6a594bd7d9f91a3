package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import orrery.model.messaging.Subjects;

/**
 * A builder's offer, on {@code rules.announce}: everything it can build, and the subject where it
 * takes build tasks ({@code tasks.build.<builder>}). Sent on start-up and whenever someone asks on
 * {@code rules.discover}; a newer announcement of the same builder replaces the older one.
 */
public record RuleAnnouncement(
        @JsonProperty(required = true) String builder,
        @JsonProperty(required = true) String subject,
        @JsonProperty(required = true) List<BuildRule> rules) {

    public RuleAnnouncement {
        if (!Subjects.isToken(builder)) {
            throw new IllegalArgumentException("builder '" + builder
                    + "' must be one subject token: letters, digits, '-' and '_'");
        }
        if (!Subjects.build(builder).equals(subject)) {
            throw new IllegalArgumentException("subject of builder " + builder + " must be " + Subjects.build(builder)
                    + " but was " + subject);
        }
        rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
    }

    public static RuleAnnouncement of(String builder, List<BuildRule> rules) {
        return new RuleAnnouncement(builder, Subjects.build(builder), rules);
    }
}
