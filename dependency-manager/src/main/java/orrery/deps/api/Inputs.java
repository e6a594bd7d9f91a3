package orrery.deps.api;

import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * Limits of what the REST API takes, checked at the edge before anything is looked up, and the way
 * input is shown back in a problem: shortened and with control characters escaped, so an answer never
 * repeats a megabyte or a terminal escape sequence.
 */
final class Inputs {

    /** Longest build target or artefact reference: a root name (128) and a path (1024), with room to spare. */
    static final int MAX_TARGET = 2048;
    /** Longest build id (ours are {@code b-} and a UUID, 38 characters). */
    static final int MAX_BUILD_ID = 128;

    private Inputs() {
    }

    /** The target, or a 400 {@code invalid-target} naming the limit it breaks. */
    static String target(String target) {
        if (target.length() > MAX_TARGET) {
            throw invalidTarget("target is " + target.length() + " characters long; a target is at most " + MAX_TARGET
                    + " characters (root/path)");
        }
        int control = firstControl(target);
        if (control >= 0) {
            throw invalidTarget("target " + shown(target) + " has a control character (U+"
                    + String.format("%04X", (int) target.charAt(control)) + ") at position " + control
                    + "; paths are printable text");
        }
        return target;
    }

    /** True if {@code id} could be a build id at all; anything else is simply not found, without a look-up. */
    static boolean plausibleBuildId(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_BUILD_ID && firstControl(id) < 0;
    }

    /** Index of the first control character (C0, DEL, C1) in {@code text}, or -1. */
    static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} quoted for a problem's detail: at most 100 characters, control characters as {@code \\uXXXX}. */
    static String shown(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) : text;
        StringBuilder shown = new StringBuilder("'");
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", (int) c));
            } else {
                shown.append(c);
            }
        }
        shown.append('\'');
        if (cut.length() < text.length()) {
            shown.append("… (").append(text.length()).append(" characters)");
        }
        return shown.toString();
    }

    private static ProblemException invalidTarget(String detail) {
        return new ProblemException(Problem.of("invalid-target", 400, "The target is not root/path", detail)
                .with("field", "target"));
    }
}
