package orrery.deps.backend.shell;

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
import orrery.deps.config.ShellBuilderConfig;
import orrery.deps.domain.MessageLimits;
import orrery.deps.domain.shell.ShellRule;
import orrery.deps.domain.shell.ShellRulesParser;
import org.jboss.logging.Logger;

/**
 * The shell builder's rules and roots, read once from configuration. A rules file inside one of the
 * roots is refused (unless {@code allow-rules-in-root}), since whoever writes into a root could
 * otherwise add rules that run commands.
 */
@ApplicationScoped
public class ShellRules {

    /** The rule chosen for a path, with its stem. */
    public record Chosen(ShellRule rule, String stem) {
    }

    private static final Logger LOG = Logger.getLogger(ShellRules.class);

    private final ShellBuilderConfig config;
    private volatile List<ShellRule> rules;
    private volatile Map<String, Path> roots;

    @Inject
    public ShellRules(ShellBuilderConfig config) {
        this.config = config;
    }

    public List<ShellRule> rules() {
        if (rules == null) {
            Path file = config.rulesFile().orElseThrow(() -> new IllegalStateException(
                    "the shell builder is enabled but orrery.shell-builder.rules-file (ORRERY_SHELL_BUILDER_RULES_FILE) is not set"));
            refuseInsideARoot(file);
            rules = read(file);
        }
        return rules;
    }

    /** Stops the start when the file lies inside a root, unless that is explicitly allowed. */
    private void refuseInsideARoot(Path file) {
        Optional<String> inside = RulesFileCheck.insideARoot(file, roots());
        if (inside.isPresent()) {
            if (!config.allowRulesInRoot()) {
                throw new IllegalStateException(inside.get());
            }
            LOG.warnf("allowed by orrery.shell-builder.allow-rules-in-root: %s", inside.get());
        }
    }

    private static List<ShellRule> read(Path file) {
        try {
            List<ShellRule> parsed = ShellRulesParser.parse(Files.readString(file));
            if (parsed.size() > MessageLimits.MAX_RULES) {
                throw new IllegalStateException("rules file " + file + " has " + parsed.size() + " rules; the "
                        + "dependency manager learns at most " + MessageLimits.MAX_RULES + " rules from one builder");
            }
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shell builder's rules file " + file + " ("
                    + e.getClass().getSimpleName() + "); write the rules there, outside every watched root, or point "
                    + "ORRERY_SHELL_BUILDER_RULES_FILE at them", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("rules file " + file + ", " + e.getMessage(), e);
        }
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

    /** {@code HOME} of the commands: configured, or a folder of its own in the system's temporary folder. */
    public Path home() {
        return config.home().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "orrery-shell-builder-home"))
                .toAbsolutePath().normalize();
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
