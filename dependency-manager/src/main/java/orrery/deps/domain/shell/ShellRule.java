package orrery.deps.domain.shell;

import java.util.List;
import orrery.model.build.BuildRule;

/** A rule of the shell builder: the rule it announces, and the command that carries it out. */
public record ShellRule(BuildRule rule, List<String> command) {

    public ShellRule {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("rule " + rule.pattern() + " has no command");
        }
    }
}
