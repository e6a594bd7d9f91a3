package orrery.deps.domain.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.model.build.BuildRule;

/**
 * A rule of the shell builder: the rule it announces, the command that carries it out, and the
 * environment variables the rules file set for it ({@code !env NAME=value} lines above it), which
 * override the builder's defaults.
 */
public record ShellRule(BuildRule rule, List<String> command, Map<String, String> environment) {

    public ShellRule {
        command = List.copyOf(command);
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("rule " + rule.pattern() + " has no command");
        }
    }

    public ShellRule(BuildRule rule, List<String> command) {
        this(rule, command, Map.of());
    }
}
