package orrery.model.identity;

import java.util.regex.Pattern;

/**
 * The one rule for Orrery user names, shared by every service so a name accepted at the door is
 * accepted everywhere it travels: in folder names (staging, local sessions), in task messages and
 * in CANFAR session names.
 *
 * <p>A user name is 1 to 128 characters: an ASCII letter or digit first, then letters, digits,
 * {@code . _ @ + -}. E-mail-like subjects ({@code alice@example.org}) are valid. No slash, no
 * whitespace, nothing that a file system, a URL path segment or a shell would treat specially, so a
 * name can be used as one path segment as it is (it cannot be {@code .} or {@code ..}, since it
 * starts with a letter or digit).
 */
public final class UserNames {

    public static final int MAX_LENGTH = 128;

    /** The rule, as a regular expression. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0," + (MAX_LENGTH - 1) + "}");

    /** The rule in words, for error messages. */
    public static final String RULE = "1 to " + MAX_LENGTH + " characters: an ASCII letter or digit, then letters, digits, '.', '_', '@', '+' or '-'";

    private UserNames() {
    }

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
