package orrery.fswatch.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An ordered list of gitignore-style patterns, matched against paths relative to a root with
 * {@code /} separators.
 *
 * <p>Semantics follow gitignore: the last matching pattern wins; {@code !pattern} negates; a
 * trailing {@code /} matches directories only; a pattern with a {@code /} anywhere but at its end
 * is anchored at the root, one without matches a name at any depth; {@code *} and {@code ?} stay
 * within one path segment, {@code **} spans segments. As in git, a path inside a matched
 * directory matches too (a file cannot be re-included below an excluded directory).
 *
 * <p>Each glob is translated once into a regular expression (one pass over the glob), with plain
 * names and {@code *.ext} compared as strings instead; a path is tested against the rules from the
 * last back to the first match, for itself and each folder it lies in: O(rules × depth) tests.
 */
public final class GlobRules {

    private final List<Rule> rules;

    private GlobRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static GlobRules of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String pattern : patterns) {
            Rule rule = Rule.parse(pattern);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return new GlobRules(rules);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** True if {@code path} or one of the directories it lies in is matched. */
    public boolean matches(String path, boolean directory) {
        int from = 0;
        while (true) {
            int slash = path.indexOf('/', from);
            if (slash < 0) {
                return matchesItself(path, directory);
            }
            if (matchesItself(path.substring(0, slash), true)) {
                return true;
            }
            from = slash + 1;
        }
    }

    /** True if the last pattern matching exactly this path (not its parents) is a positive one. */
    public boolean matchesItself(String path, boolean directory) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule rule = rules.get(i);
            if (rule.test(path, directory)) {
                return !rule.negated;
            }
        }
        return false;
    }

    /**
     * @param literal the whole pattern when it has no wildcard, else null
     * @param suffix for {@code *<literal>} patterns (such as {@code *.log}), the literal, else null
     */
    private record Rule(Pattern regex, String literal, String suffix, boolean negated, boolean directoryOnly,
                        boolean anchored, char first) {

        static Rule parse(String raw) {
            String pattern = raw.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                return null;
            }
            boolean negated = pattern.startsWith("!");
            if (negated) {
                pattern = pattern.substring(1);
            }
            boolean directoryOnly = pattern.endsWith("/");
            if (directoryOnly) {
                pattern = pattern.substring(0, pattern.length() - 1);
            }
            boolean anchored = pattern.contains("/");
            if (pattern.startsWith("/")) {
                pattern = pattern.substring(1);
            }
            if (pattern.isEmpty()) {
                throw new IllegalArgumentException("glob '" + raw + "' matches nothing");
            }
            // Most globs are a plain name or "*.ext": those are matched without a regular expression.
            String literal = isLiteral(pattern) ? pattern : null;
            String suffix = pattern.startsWith("*") && isLiteral(pattern.substring(1)) && !anchored
                    ? pattern.substring(1) : null;
            // A name pattern that starts with a plain character (".*.sw?", "#*#") can only match names starting
            // with it: most names are then refused without running the regular expression.
            char first = isLiteral(pattern.substring(0, 1)) && pattern.charAt(0) != '/' ? pattern.charAt(0) : 0;
            return new Rule(Pattern.compile(toRegex(pattern)), literal, suffix, negated, directoryOnly, anchored, first);
        }

        private static boolean isLiteral(String glob) {
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' || c == '?' || c == '[' || c == '\\') {
                    return false;
                }
            }
            return true;
        }

        boolean test(String path, boolean directory) {
            if (directoryOnly && !directory) {
                return false;
            }
            if (anchored) {
                return literal != null ? literal.equals(path) : regex.matcher(path).matches();
            }
            int slash = path.lastIndexOf('/');
            int nameStart = slash + 1;
            int nameLength = path.length() - nameStart;
            if (literal != null) {
                return nameLength == literal.length() && path.startsWith(literal, nameStart);
            }
            if (suffix != null) {
                return path.endsWith(suffix);
            }
            if (first != 0 && (nameLength == 0 || path.charAt(nameStart) != first)) {
                return false;
            }
            return regex.matcher(slash < 0 ? path : path.substring(nameStart)).matches();
        }

        private static String toRegex(String glob) {
            StringBuilder regex = new StringBuilder();
            int i = 0;
            while (i < glob.length()) {
                char c = glob.charAt(i);
                if (glob.startsWith("**/", i)) {
                    regex.append("(?:.*/)?");
                    i += 3;
                } else if (glob.startsWith("/**", i) && i + 3 == glob.length()) {
                    regex.append("(?:/.*)?");
                    i += 3;
                } else if (glob.startsWith("**", i)) {
                    regex.append(".*");
                    i += 2;
                } else if (c == '*') {
                    regex.append("[^/]*");
                    i++;
                } else if (c == '?') {
                    regex.append("[^/]");
                    i++;
                } else if (c == '[') {
                    i = characterClass(glob, i, regex);
                } else if (c == '\\' && i + 1 < glob.length()) {
                    regex.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
                    i += 2;
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                    i++;
                }
            }
            return regex.toString();
        }

        /** {@code [...]} (or {@code [!...]}) from {@code open} as a regex class; returns where the glob goes on. */
        private static int characterClass(String glob, int open, StringBuilder regex) {
            int close = glob.indexOf(']', open + 2);
            if (close < 0) {
                regex.append("\\[");
                return open + 1;
            }
            String body = glob.substring(open + 1, close);
            if (body.startsWith("!")) {
                body = "^" + body.substring(1);
            }
            regex.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
            return close + 1;
        }
    }
}
