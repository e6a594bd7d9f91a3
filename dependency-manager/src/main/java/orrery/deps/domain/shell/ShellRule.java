package orrery.deps.domain.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.model.build.BuildRule;

/**
 * A rule of the shell builder: the rule it announces, the command that carries it out, the
 * environment variables the rules file set for it ({@code !env NAME=value} lines above it), which
 * override the builder's defaults, and whether the command's standard output becomes the target
 * (a trailing {@code > $@}, carried out by the builder itself, not by a shell).
 */
public record ShellRule(BuildRule rule, List<String> command, Map<String, String> environment,
                        boolean stdoutToTarget) {

    public ShellRule {
        command = List.copyOf(command);
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("rule " + rule.pattern() + " has no command");
        }
    }

    public ShellRule(BuildRule rule, List<String> command, Map<String, String> environment) {
        this(rule, command, environment, false);
    }

    public ShellRule(BuildRule rule, List<String> command) {
        this(rule, command, Map.of(), false);
    }
}
