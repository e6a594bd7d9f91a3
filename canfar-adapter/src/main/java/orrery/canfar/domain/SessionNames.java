package orrery.canfar.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name a session gets on the platform, made from the name the launch asked for.
 *
 * <p>skaha (opencadc/science-platform, {@code PostAction.validateName}) accepts only
 * {@code [A-Za-z0-9-]+} and uses the lower-cased name as the pod's host name, which Kubernetes
 * holds to an RFC 1123 label (lower-case letters, digits and '-', starting and ending with a letter
 * or digit, at most 63 characters). Launches may carry names built from anything, such as an
 * e-mail-like user name ({@code alice@example.org}); rather than refuse such a launch half-way
 * through the suite, the adapter derives a name that every backend accepts: lower case, each run
 * of other characters becomes one '-', no '-' at either end, at most {@value #MAX_LENGTH}
 * characters (room for the suffixes Kubernetes adds to object names), and {@value #FALLBACK} when
 * nothing is left. A name that already follows the rule is kept as it is (in lower case).
 */
public final class SessionNames {

    public static final int MAX_LENGTH = 40;
    public static final String FALLBACK = "orrery-session";
    /** What the derived names look like. */
    public static final Pattern SAFE = Pattern.compile("[a-z0-9]([a-z0-9-]{0," + (MAX_LENGTH - 2) + "}[a-z0-9])?");

    private static final Pattern OTHER = Pattern.compile("[^a-z0-9]+");

    private SessionNames() {
    }

    /** The platform's name for a session the launch called {@code requested}. */
    public static String safe(String requested) {
        String name = OTHER.matcher(requested == null ? "" : requested.toLowerCase(Locale.ROOT)).replaceAll("-");
        name = trimDashes(name);
        if (name.length() > MAX_LENGTH) {
            name = trimDashes(name.substring(0, MAX_LENGTH));
        }
        return name.isEmpty() ? FALLBACK : name;
    }

    private static String trimDashes(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '-') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '-') {
            end--;
        }
        return name.substring(start, end);
    }
}
