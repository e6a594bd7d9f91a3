package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import orrery.model.messaging.Subjects;

/**
 * A builder's answer to {@link HowToRequest}: "I can build {@code path} from {@code inputs} with
 * {@code recipe}; send the task to {@code subject}".
 *
 * @param rule the matching rule, so the asker can learn it for other artefacts
 */
public record HowToReply(
        @JsonProperty(required = true) String builder,
        @JsonProperty(required = true) String subject,
        @JsonProperty(required = true) String path,
        @JsonProperty(required = true) List<String> inputs,
        @JsonProperty(required = true) String recipe,
        @JsonProperty(required = true) BuildRule rule) {

    public HowToReply {
        if (!Subjects.isToken(builder) || !Subjects.build(builder).equals(subject)) {
            throw new IllegalArgumentException("builder '" + builder + "' must be a subject token answering on "
                    + "tasks.build.<builder>, not " + subject);
        }
        RelativePaths.require(path, "path");
        inputs = List.copyOf(inputs);
        inputs.forEach(input -> RelativePaths.require(input, "inputs"));
    }
}
