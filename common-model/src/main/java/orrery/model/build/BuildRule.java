package orrery.model.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * "Artefacts matching {@code pattern} can be built from {@code inputs} with {@code recipe}": one
 * rule a builder offers. Inputs are patterns too; their {@code %} takes the target's stem, so
 * {@code %.pdf <- %.tex %.aux} builds {@code paper.pdf} from {@code paper.tex} and
 * {@code paper.aux}. The first input is the main one: a target is known to exist as soon as its
 * main input does.
 *
 * @param recipe what the builder will do, for people (the shell builder shows its command line)
 * @param priority when several builders offer the same artefact, the highest priority wins
 */
public record BuildRule(
        @JsonProperty(required = true) String pattern,
        @JsonProperty(required = true) List<String> inputs,
        @JsonProperty(required = true) String recipe,
        int priority) {

    public BuildRule {
        StemPattern target = StemPattern.parse(pattern, "pattern");
        Objects.requireNonNull(inputs, "inputs");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("rule " + pattern + " needs at least one input");
        }
        for (int i = 0; i < inputs.size(); i++) {
            StemPattern input = StemPattern.parse(inputs.get(i), "inputs[" + i + "]");
            if (target.isLiteral() && !input.isLiteral()) {
                throw new IllegalArgumentException("rule " + pattern + " has no '%', so input '" + inputs.get(i)
                        + "' cannot use one");
            }
        }
        if (recipe == null || recipe.isBlank()) {
            throw new IllegalArgumentException("rule " + pattern + " needs a recipe");
        }
    }

    public StemPattern target() {
        return StemPattern.parse(pattern, "pattern");
    }

    /** The inputs of {@code path} under this rule, or null if the rule does not build it. */
    public List<String> inputsFor(String path) {
        return target().match(path)
                .map(stem -> inputs.stream().map(input -> StemPattern.parse(input, "input").expand(stem)).toList())
                .orElse(null);
    }
}
