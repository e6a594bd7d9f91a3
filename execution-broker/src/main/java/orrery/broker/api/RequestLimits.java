package orrery.broker.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * The limits of an offer request, enforced at the edge so nothing unbounded is stored, planned or
 * sent over NATS (whose payload limit is 1 MiB), and nothing overflows. A refusal names the field
 * and the limit. The broker README lists them.
 */
final class RequestLimits {

    static final int NAME = 128;
    static final int URL = 2048;
    static final int IMAGE = 512;
    static final int CMD = 1024;
    static final int ARGS = 256;
    static final int ARG = 4096;
    static final int ENV = 64;
    static final int ENV_VALUE = 4096;
    static final int DATA_ITEMS = 64;
    static final int STORAGE_GIB = 1_048_576;
    static final int WINDOWS = 16;
    static final int CORES = 4096;
    static final int MEMORY_GB = 65_536;
    static final Duration LONGEST_RUN = Duration.ofDays(366);
    /** How far ahead a start window may reach. */
    static final Duration FURTHEST_START = Duration.ofDays(3653);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** Control characters as the other services count them ({@link Character#isISOControl}: C0, DEL and C1). */
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1F\\x7F-\\x9F]");

    private RequestLimits() {
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw invalid(field, "is missing or null");
        }
        return value;
    }

    /** A one-line text: at most {@code max} characters, no control characters (NUL included). */
    static String text(String value, String field, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw invalid(field, "is " + value.length() + " characters long; at most " + max + " are allowed");
        }
        if (CONTROL.matcher(value).find()) {
            throw invalid(field, "contains a control character (such as NUL or a newline); give plain text");
        }
        return value;
    }

    static <T> List<T> list(List<T> values, String field, int max) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > max) {
            throw invalid(field, "has " + values.size() + " entries; at most " + max + " are allowed");
        }
        for (int i = 0; i < values.size(); i++) {
            present(values.get(i), field + "[" + i + "]");
        }
        return values;
    }

    static List<String> args(List<String> args, String field) {
        list(args, field, ARGS);
        if (args != null) {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.length() > ARG) {
                    throw invalid(field + "[" + i + "]", "is " + arg.length() + " characters long; at most " + ARG + " are allowed");
                }
                if (arg.indexOf('\0') >= 0) {
                    throw invalid(field + "[" + i + "]", "contains a NUL character");
                }
            }
        }
        return args;
    }

    static Map<String, String> env(Map<String, String> env, String field) {
        if (env == null) {
            return null;
        }
        if (env.size() > ENV) {
            throw invalid(field, "has " + env.size() + " variables; at most " + ENV + " are allowed");
        }
        env.forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                throw invalid(field, "'" + printable(name) + "' is not a variable name (a letter or '_', then letters, digits, '_')");
            }
            if (value == null) {
                throw invalid(field + "." + name, "is null; give a string");
            }
            if (value.length() > ENV_VALUE || value.indexOf('\0') >= 0) {
                throw invalid(field + "." + name, "must be at most " + ENV_VALUE + " characters without NUL");
            }
        });
        return env;
    }

    static int atMost(int value, int max, String field, String unit) {
        if (value > max) {
            throw invalid(field, value + " " + unit + " asked for; at most " + max + " are allowed");
        }
        return value;
    }

    static Duration run(Duration duration, String field) {
        if (duration.compareTo(LONGEST_RUN) > 0) {
            throw invalid(field, duration + " is longer than a booking may be: at most " + LONGEST_RUN);
        }
        return duration;
    }

    static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.of("invalid-offer-request", 400, "The offer request is not valid",
                field + ": " + detail).with("field", field));
    }

    private static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return CONTROL.matcher(shown).replaceAll("?");
    }
}
