package orrery.deps.domain.shell;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The environment a rule's command runs with, built from the rule only, never inherited from the
 * service (whose environment holds database passwords, NATS logins and tokens): the builder's
 * {@code PATH}, {@code HOME} and {@code LANG}, then what the rules file set for the rule with
 * {@code !env}, then the task's {@code ORRERY_TARGET}, {@code ORRERY_ROUND} and {@code ORRERY_BUILD_ID}.
 */
public final class CommandEnvironment {

    /** The variables every command gets from the builder's configuration. */
    public static final Set<String> BASE = Set.of("PATH", "HOME", "LANG");
    /** The variables that describe the task; a rules file cannot set them. */
    public static final Set<String> TASK = Set.of("ORRERY_TARGET", "ORRERY_ROUND", "ORRERY_BUILD_ID");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private CommandEnvironment() {
    }

    /**
     * @param path the builder's PATH
     * @param home the builder's HOME
     * @param lang the builder's LANG
     * @param rule what the rules file set for this rule (overrides the three above)
     */
    public static Map<String, String> of(String path, String home, String lang, Map<String, String> rule,
                                         String target, int round, String buildId) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", path);
        environment.put("HOME", home);
        environment.put("LANG", lang);
        environment.putAll(rule);
        environment.put("ORRERY_TARGET", target);
        environment.put("ORRERY_ROUND", Integer.toString(round));
        environment.put("ORRERY_BUILD_ID", buildId);
        return environment;
    }

    /** Checks a variable a rules file sets; returns the reason it is refused, or null. */
    static String refusal(String name) {
        if (!NAME.matcher(name).matches()) {
            return "'" + name + "' is not a variable name (letters, digits and '_', not starting with a digit)";
        }
        if (TASK.contains(name)) {
            return name + " describes the task and is set by the builder";
        }
        return null;
    }
}
