package orrery.model.build;

import java.util.Objects;
import java.util.Optional;

/**
 * A make-style file pattern: a relative path with at most one {@code %}, which stands for a
 * non-empty stem ({@code %.pdf} matches {@code paper.pdf} and {@code docs/paper.pdf} with stems
 * {@code paper} and {@code docs/paper}). A pattern without {@code %} matches only itself.
 */
public final class StemPattern {

    private final String text;
    private final String prefix;
    private final String suffix;
    private final boolean literal;

    private StemPattern(String text) {
        this.text = text;
        int stem = text.indexOf('%');
        this.literal = stem < 0;
        this.prefix = literal ? text : text.substring(0, stem);
        this.suffix = literal ? "" : text.substring(stem + 1);
    }

    /** Parses a pattern; {@code field} names it in the error. */
    public static StemPattern parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        int first = text.indexOf('%');
        if (first >= 0 && text.indexOf('%', first + 1) >= 0) {
            throw new IllegalArgumentException(field + " '" + text + "' has more than one '%'");
        }
        RelativePaths.require(text.replace("%", "stem"), field);
        return new StemPattern(text);
    }

    /** The stem if {@code path} matches (the empty string for a literal pattern), otherwise empty. */
    public Optional<String> match(String path) {
        if (literal) {
            return text.equals(path) ? Optional.of("") : Optional.empty();
        }
        if (path.length() > prefix.length() + suffix.length() && path.startsWith(prefix) && path.endsWith(suffix)) {
            return Optional.of(path.substring(prefix.length(), path.length() - suffix.length()));
        }
        return Optional.empty();
    }

    /** This pattern with {@code %} replaced by {@code stem}. */
    public String expand(String stem) {
        return literal ? text : prefix + stem + suffix;
    }

    public boolean isLiteral() {
        return literal;
    }

    /** How many characters the pattern fixes: a longer fixed part is a more specific rule. */
    public int specificity() {
        return literal ? Integer.MAX_VALUE : prefix.length() + suffix.length();
    }

    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StemPattern pattern && pattern.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
