package orrery.deps.domain;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import orrery.model.build.BuildRule;
import orrery.model.build.RelativePaths;
import orrery.model.build.RuleAnnouncement;
import orrery.model.fs.FsEvent;

/**
 * What a message must be for this service to act on it, beyond what its record already checks: a
 * file event for the root its subject names, with printable paths and real SHA-256 hashes; a rule
 * announcement of bounded size. A refusal is a sentence naming the field or the limit; the consumer
 * sends the message to the dead-letter subject with it.
 */
public final class MessageLimits {

    /** Most rules one builder may announce. */
    public static final int MAX_RULES = 1000;
    /** Most inputs of one rule. */
    public static final int MAX_INPUTS = 64;
    /** Longest pattern (target or input) of a rule. */
    public static final int MAX_PATTERN = 1024;
    /** Longest recipe of a rule (it is shown to people, not run). */
    public static final int MAX_RECIPE = 4096;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private MessageLimits() {
    }

    /** Why the file event that came on {@code events.fs.<subjectRoot>} cannot be used, if it cannot. */
    public static Optional<String> refusal(FsEvent event, String subjectRoot) {
        for (String[] field : new String[][] {{"path", event.path()}, {"from", event.from()}}) {
            if (field[1] == null) {
                continue;
            }
            try {
                RelativePaths.require(field[1], field[0]);
            } catch (IllegalArgumentException e) {
                return Optional.of(e.getMessage().length() > 300 ? field[0] + " '" + printable(field[1])
                        + "' is not a path inside the root" : e.getMessage());
            }
            if (hasControl(field[1])) {
                return Optional.of(field[0] + " '" + printable(field[1]) + "' has a control character");
            }
        }
        if (!event.root().equals(subjectRoot)) {
            return Optional.of("the event names root '" + printable(event.root()) + "' but came on the subject of root '"
                    + subjectRoot + "'");
        }
        for (String[] field : new String[][] {{"sha256", event.sha256()}, {"previousSha256", event.previousSha256()}}) {
            if (field[1] != null && !SHA256.matcher(field[1]).matches()) {
                return Optional.of(field[0] + " '" + printable(field[1]) + "' is not a SHA-256 (64 lower-case hex digits)");
            }
        }
        return Optional.empty();
    }

    /** Why the announcement cannot be learnt, if it cannot. */
    public static Optional<String> refusal(RuleAnnouncement announcement) {
        List<BuildRule> rules = announcement.rules();
        if (rules.size() > MAX_RULES) {
            return Optional.of("builder " + announcement.builder() + " announced " + rules.size() + " rules; at most "
                    + MAX_RULES + " rules are accepted from one builder");
        }
        for (int i = 0; i < rules.size(); i++) {
            BuildRule rule = rules.get(i);
            String at = "rules[" + i + "]";
            if (rule == null) {
                return Optional.of(at + " is null");
            }
            if (rule.pattern().length() > MAX_PATTERN || hasControl(rule.pattern())) {
                return Optional.of(at + ".pattern must be printable and at most " + MAX_PATTERN + " characters");
            }
            if (rule.inputs().size() > MAX_INPUTS) {
                return Optional.of(at + " has " + rule.inputs().size() + " inputs; a rule has at most " + MAX_INPUTS
                        + " inputs");
            }
            for (String input : rule.inputs()) {
                if (input.length() > MAX_PATTERN || hasControl(input)) {
                    return Optional.of(at + ".inputs must be printable and at most " + MAX_PATTERN + " characters each");
                }
            }
            if (rule.recipe().length() > MAX_RECIPE) {
                return Optional.of(at + ".recipe is " + rule.recipe().length() + " characters long; at most " + MAX_RECIPE
                        + " characters are accepted");
            }
        }
        return Optional.empty();
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> Character.isISOControl((char) c));
    }

    /** At most 100 characters of {@code text}, control characters escaped. */
    private static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), 100); i++) {
            char c = text.charAt(i);
            shown.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.length() > 100 ? shown + "…" : shown.toString();
    }
}
