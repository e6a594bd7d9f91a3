package orrery.staging.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import orrery.model.identity.UserNames;

/**
 * Where a session's files go, {@code home/{user}/broker/{executionId}/{name}} relative to the
 * storage root, and the checks that keep every name inside that folder.
 *
 * <p>Names are relative paths of plain segments: no {@code ..} or {@code .}, no leading
 * {@code /}, no backslashes, no control or shell-special characters, no hidden files (a leading
 * dot is reserved for our temporary files). A refusal says which rule was broken.
 */
public final class SessionPaths {

    private static final Pattern EXECUTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_+=,@-][A-Za-z0-9._+=,@-]{0,254}");
    private static final int MAX_DEPTH = 16;

    private SessionPaths() {
    }

    /** The session folder, {@code home/{user}/broker/{executionId}}. */
    public static String folder(String user, String executionId) {
        return "home/" + user(user) + "/broker/" + executionId(executionId);
    }

    /** The path of {@code name} inside the session folder. */
    public static String file(String user, String executionId, String name) {
        return folder(user, executionId) + "/" + String.join("/", segments(name));
    }

    /**
     * A user name as one folder name: the suite's one rule ({@link UserNames}), so whoever the
     * JWT or a broker task names, e-mail-like names ({@code alice@example.org}) included, gets the
     * same folder. The rule allows no slash and no leading dot, so the name stays one segment.
     */
    public static String user(String user) {
        if (!UserNames.isValid(user)) {
            throw StagingRefusals.badUser("user '" + printable(user) + "' is not a valid user name: " + UserNames.RULE);
        }
        return user;
    }

    public static String executionId(String executionId) {
        if (executionId == null || !EXECUTION.matcher(executionId).matches()) {
            throw StagingRefusals.badExecutionId("execution id '" + executionId
                    + "' must be 1-128 letters, digits, '_' or '-'");
        }
        return executionId;
    }

    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** The checked segments of a relative file name. */
    public static List<String> segments(String name) {
        if (name == null || name.isEmpty()) {
            throw StagingRefusals.badPath("a file name is required");
        }
        if (name.startsWith("/")) {
            throw StagingRefusals.badPath("'" + name + "' is absolute; give a name relative to the session folder");
        }
        if (name.indexOf('\\') >= 0) {
            throw StagingRefusals.badPath("'" + name + "' contains a backslash; separate folders with '/'");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw StagingRefusals.badPath("'" + name + "' contains '" + segment + "'; names must stay inside the session folder");
            }
            if (segment.isEmpty()) {
                throw StagingRefusals.badPath("'" + name + "' has an empty segment (a double or trailing '/')");
            }
            if (segment.startsWith(".")) {
                throw StagingRefusals.badPath("'" + name + "' has a hidden segment '" + segment + "'; leading dots are reserved");
            }
            if (!SEGMENT.matcher(segment).matches()) {
                throw StagingRefusals.badPath("'" + name + "' has characters outside letters, digits and . _ - + = , @ "
                        + "(or a segment longer than 255)");
            }
            segments.add(segment);
        }
        if (segments.size() > MAX_DEPTH) {
            throw StagingRefusals.badPath("'" + name + "' is nested more than " + MAX_DEPTH + " folders deep");
        }
        return segments;
    }
}
