package orrery.deps.shell;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import orrery.deps.domain.shell.ShellRule;
import orrery.deps.domain.shell.ShellRulesParser;

/** The shell builder's rules and roots, read once from configuration. */
@ApplicationScoped
public class ShellRules {

    /** The rule chosen for a path, with its stem. */
    public record Chosen(ShellRule rule, String stem) {
    }

    private final ShellBuilderConfig config;
    private volatile List<ShellRule> rules;
    private volatile Map<String, Path> roots;

    @Inject
    public ShellRules(ShellBuilderConfig config) {
        this.config = config;
    }

    public List<ShellRule> rules() {
        if (rules == null) {
            String file = config.rulesFile().orElseThrow(() -> new IllegalStateException(
                    "the shell builder is enabled but orrery.shell-builder.rules-file (ORRERY_SHELL_BUILDER_RULES_FILE) is not set"));
            try {
                rules = ShellRulesParser.parse(Files.readString(Path.of(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the shell builder's rules file " + file, e);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("rules file " + file + ", " + e.getMessage(), e);
            }
        }
        return rules;
    }

    public Map<String, Path> roots() {
        if (roots == null) {
            Map<String, Path> parsed = new LinkedHashMap<>();
            for (String entry : config.roots().orElse("").split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalStateException("orrery.shell-builder.roots entry '" + entry + "' is not name=/path");
                }
                parsed.put(entry.substring(0, eq).strip(), Path.of(entry.substring(eq + 1).strip()).toAbsolutePath().normalize());
            }
            roots = parsed;
        }
        return roots;
    }

    /** The most specific, then highest-priority, of our rules that builds {@code path}. */
    public Optional<Chosen> ruleFor(String path) {
        return rules().stream()
                .filter(rule -> rule.rule().target().match(path).isPresent())
                .min(Comparator.comparingInt((ShellRule r) -> r.rule().priority()).reversed()
                        .thenComparing(Comparator.comparingInt((ShellRule r) -> r.rule().target().specificity()).reversed()))
                .map(rule -> new Chosen(rule, rule.rule().target().match(path).orElseThrow()));
    }
}
