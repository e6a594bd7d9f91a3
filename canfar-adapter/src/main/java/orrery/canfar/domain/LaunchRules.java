package orrery.canfar.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionKind;
import orrery.model.identity.UserNames;
import orrery.model.messaging.Subjects;

/**
 * What every launch must satisfy, whichever backend runs it. Backends add their own checks
 * (sizes the platform offers, the session folder, the command being installed).
 */
public final class LaunchRules {

    public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** How long a requested session name may be; the platform gets a safe name derived from it ({@link SessionNames}). */
    static final int MAX_NAME = 128;
    /** Names the adapter sets itself in every session. */
    public static final Set<String> RESERVED_ENV = Set.of("ORRERY_SESSION_ID", "ORRERY_EXECUTION_ID", "ORRERY_WORKDIR");

    static final int MAX_CORES = 256;
    static final int MAX_RAM_GB = 4096;
    static final int MAX_ARGS = 1000;
    static final int MAX_TEXT = 4096;
    static final int MAX_ENV = 200;

    private final ImageAllowList images;

    public LaunchRules(ImageAllowList images) {
        this.images = images;
    }

    /** Refuses a launch that no backend could run, with the field at fault and how to fix it. */
    public void check(LaunchTask task) {
        if (!Subjects.isToken(task.executionId())) {
            throw Refusals.invalidField("executionId", "executionId '" + task.executionId()
                    + "' must be letters, digits, '-' or '_' (at most 128)");
        }
        checkUser(task.user());
        if (task.name().isBlank() || task.name().length() > MAX_NAME || task.name().chars().anyMatch(Character::isISOControl)) {
            throw Refusals.invalidField("name", "the session name must be 1 to " + MAX_NAME
                    + " characters without control characters (the platform gets a safe name made from it)");
        }
        images.check(task.image());
        checkSize(task.cores(), task.ram());
        if (task.kind() == SessionKind.headless && (task.cmd() == null || task.cmd().isBlank())) {
            throw Refusals.invalidField("cmd", "a headless session needs a command to run in 'cmd'");
        }
        if (task.cmd() != null) {
            checkText("cmd", task.cmd());
            if (task.cmd().startsWith("-") || !task.cmd().strip().equals(task.cmd())) {
                throw Refusals.invalidField("cmd", "cmd must name a program (no leading '-' or surrounding spaces); "
                        + "pass its arguments in 'args'");
            }
        }
        checkArgs(task.args());
        checkEnv(task.env());
        MountRules.check(task.kind(), task.mounts());
        if (task.workdir() != null) {
            checkText("workdir", task.workdir());
        }
    }

    /** The suite's one user-name rule ({@link UserNames}), so a name the door accepted is accepted here too. */
    public static void checkUser(String user) {
        if (!UserNames.isValid(user)) {
            throw Refusals.invalidField("user", "user '" + user + "' is not an Orrery user name: " + UserNames.RULE);
        }
    }

    public static void checkSize(int cores, int ram) {
        if (cores < 1 || cores > MAX_CORES) {
            throw Refusals.invalidField("cores", "cores must be between 1 and " + MAX_CORES + ", was " + cores);
        }
        if (ram < 1 || ram > MAX_RAM_GB) {
            throw Refusals.invalidField("ram", "ram is in GB and must be between 1 and " + MAX_RAM_GB + ", was " + ram);
        }
    }

    private static void checkArgs(List<String> args) {
        if (args.size() > MAX_ARGS) {
            throw Refusals.invalidField("args", "at most " + MAX_ARGS + " arguments, got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null) {
                throw Refusals.invalidField("args[" + i + "]", "arguments cannot be null");
            }
            checkText("args[" + i + "]", args.get(i));
        }
    }

    private static void checkEnv(Map<String, String> env) {
        if (env.size() > MAX_ENV) {
            throw Refusals.invalidField("env", "at most " + MAX_ENV + " environment variables, got " + env.size());
        }
        for (Map.Entry<String, String> entry : env.entrySet()) {
            String name = entry.getKey();
            if (!ENV_NAME.matcher(name).matches()) {
                throw Refusals.invalidField("env." + name, "environment variable name '" + name
                        + "' must match [A-Za-z_][A-Za-z0-9_]*");
            }
            if (RESERVED_ENV.contains(name)) {
                throw Refusals.invalidField("env." + name, "environment variable " + name + " is set by Orrery itself");
            }
            if (entry.getValue() == null) {
                throw Refusals.invalidField("env." + name, "environment variable " + name + " has no value");
            }
            checkText("env." + name, entry.getValue());
        }
    }

    private static void checkText(String field, String value) {
        if (value.length() > MAX_TEXT) {
            throw Refusals.invalidField(field, field + " is longer than " + MAX_TEXT + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw Refusals.invalidField(field, field + " contains a NUL character");
        }
    }
}
