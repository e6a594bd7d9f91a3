package orrery.canfar.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;

/**
 * A session of the simulated backend: nothing runs, the session follows a plan made at launch. It is
 * Pending for the modelled start-up, Running for the modelled runtime (headless and container sessions; a notebook
 * runs until deleted unless its launch names a runtime), then ends with the modelled exit status.
 * A delete ends it {@code stop} after the terminate (exit status 143, as SIGTERM would). Everything is
 * a function of the plan and the time asked about, so any clock (simulated, manual, the system's)
 * drives it, and {@link Observation#nextChange()} tells the watcher when to look next.
 *
 * <p>The plan travels as the session's platform id ({@link #platformId()}, e.g.
 * {@code sim;headless;2030-01-07T09:00:00Z;2030-01-07T09:00:30Z;2030-01-07T09:10:30Z;0}), which the
 * adapter keeps in {@code canfar_session}, so a restarted adapter still knows when each session ends.
 *
 * <p>Per-launch overrides come from the launch's environment: {@value #STARTUP}, {@value #RUNTIME}
 * (ISO-8601 durations such as {@code PT2H}) and {@value #EXIT} (0 to 255).
 *
 * @param endAt null for a session that runs until deleted
 */
public record SimulatedSession(SessionKind kind, Instant launchedAt, Instant startAt, Instant endAt, int exitStatus) {

    public static final String STARTUP = "ORRERY_SIM_STARTUP";
    public static final String RUNTIME = "ORRERY_SIM_RUNTIME";
    public static final String EXIT = "ORRERY_SIM_EXIT";
    /** The exit status of a session ended by its delete: 128 + SIGTERM, as a local session reports it. */
    public static final int DELETED_EXIT = 143;

    private static final String PREFIX = "sim";
    private static final String SEPARATOR = ";";
    private static final String OPEN_END = "-";

    /**
     * The defaults a launch without overrides follows.
     *
     * @param runtime of headless and container sessions; notebooks run until deleted
     */
    public record Model(Duration startup, Duration runtime, int exitStatus) {

        public Model {
            requireNotNegative("startup", startup);
            requireNotNegative("runtime", runtime);
            if (exitStatus < 0 || exitStatus > 255) {
                throw new IllegalArgumentException("the simulated exit status must be 0 to 255, was " + exitStatus);
            }
        }

        private static void requireNotNegative(String what, Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("the simulated " + what + " must be a duration of zero or more, was "
                        + value);
            }
        }
    }

    public SimulatedSession {
        if (startAt.isBefore(launchedAt) || (endAt != null && endAt.isBefore(startAt))) {
            throw new IllegalArgumentException("a simulated session starts after its launch and ends after its start: "
                    + launchedAt + ", " + startAt + ", " + endAt);
        }
    }

    /**
     * The plan of a session launched at {@code now}: the model's defaults, overridden by the launch's
     * {@value #STARTUP}, {@value #RUNTIME} and {@value #EXIT}. A bad override refuses the launch, naming it.
     */
    public static SimulatedSession plan(Model model, SessionKind kind, Map<String, String> env, Instant now) {
        Duration startup = duration(env, STARTUP, model.startup());
        Duration runtime = duration(env, RUNTIME, kind != SessionKind.notebook ? model.runtime() : null);
        int exit = exitStatus(env, model.exitStatus());
        Instant start = now.plus(startup);
        return new SimulatedSession(kind, now, start, runtime == null ? null : start.plus(runtime), exit);
    }

    /** The plan a platform id made by {@link #platformId()} holds; IllegalArgumentException for any other id. */
    public static SimulatedSession parse(String platformId) {
        String[] parts = platformId == null ? new String[0] : platformId.split(SEPARATOR, -1);
        if (parts.length != 6 || !PREFIX.equals(parts[0])) {
            throw new IllegalArgumentException("'" + platformId + "' is not a simulated session's id");
        }
        try {
            return new SimulatedSession(SessionKind.valueOf(parts[1]), Instant.parse(parts[2]), Instant.parse(parts[3]),
                    OPEN_END.equals(parts[4]) ? null : Instant.parse(parts[4]), Integer.parseInt(parts[5]));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + platformId + "' is not a simulated session's id: " + e.getMessage(), e);
        }
    }

    /** The plan as the session's platform id. */
    public String platformId() {
        return String.join(SEPARATOR, PREFIX, kind.name(), launchedAt.toString(), startAt.toString(),
                endAt == null ? OPEN_END : endAt.toString(), Integer.toString(exitStatus));
    }

    /**
     * The session as the platform shows it at {@code now}.
     *
     * @param stoppedAt when a delete ends it (the terminate plus the modelled stop), null without a delete
     * @param connectUrl what a notebook is reached at while it runs
     */
    public Observation observe(Instant now, Instant stoppedAt, String connectUrl) {
        Instant end = end(stoppedAt);
        boolean byDelete = endsByDelete(stoppedAt);
        if (end != null && !now.isBefore(end)) {
            Instant started = startsBefore(end) ? startAt : null;
            return byDelete
                    ? new Observation(SessionStatus.Terminated, started, null, DELETED_EXIT,
                            "the simulated session was ended by its delete (exit status " + DELETED_EXIT + ")", null, false)
                    : new Observation(exitStatus == 0 ? SessionStatus.Succeeded : SessionStatus.Failed, started, null,
                            exitStatus, ExitStatus.describe(exitStatus) + " (simulated)", null, false);
        }
        Instant started = now.isBefore(startAt) ? null : startAt;
        if (stoppedAt != null) {
            return new Observation(SessionStatus.Terminating, started, null, null, null, null, false, end);
        }
        if (started == null) {
            return new Observation(SessionStatus.Pending, null, null, null, null, null, false, startAt);
        }
        return new Observation(SessionStatus.Running, started, kind == SessionKind.notebook ? connectUrl : null, null, null,
                null, false, end);
    }

    /** A short log of what the simulated session did by {@code now}, one line per event. */
    public String log(Instant now, Instant stoppedAt) {
        Instant end = end(stoppedAt);
        boolean byDelete = endsByDelete(stoppedAt);
        List<String> lines = new ArrayList<>();
        lines.add(launchedAt + " simulated " + kind + " session (nothing runs): start-up "
                + Duration.between(launchedAt, startAt) + ", "
                + (endAt == null ? "runs until deleted" : "runtime " + Duration.between(startAt, endAt) + ", exit status "
                + exitStatus));
        if (!now.isBefore(startAt) && startsBefore(end)) {
            lines.add(startAt + " started");
        }
        if (stoppedAt != null && !now.isBefore(stoppedAt) && byDelete) {
            lines.add(stoppedAt + " ended by its delete (exit status " + DELETED_EXIT + ")");
        } else if (endAt != null && !now.isBefore(endAt) && !byDelete) {
            lines.add(endAt + " " + ExitStatus.describe(exitStatus));
        }
        return String.join("\n", lines) + "\n";
    }

    private Instant end(Instant stoppedAt) {
        return endsByDelete(stoppedAt) ? stoppedAt : endAt;
    }

    /** Whether a delete ends the session before it would have ended by itself. */
    private boolean endsByDelete(Instant stoppedAt) {
        return stoppedAt != null && (endAt == null || stoppedAt.isBefore(endAt));
    }

    /** Whether the session started before ending at {@code end} (one that ends at the instant it starts ran briefly). */
    private boolean startsBefore(Instant end) {
        return end == null || !startAt.isAfter(end);
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(value.strip());
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // refused below, with the rule
        }
        throw Refusals.invalidField("env." + name, name + " is an ISO-8601 duration of zero or more for the simulated "
                + "backend, such as PT30S or PT2H; '" + value + "' is not");
    }

    private static int exitStatus(Map<String, String> env, int fallback) {
        String value = env.get(EXIT);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= 0 && parsed <= 255) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below, with the rule
        }
        throw Refusals.invalidField("env." + EXIT, EXIT + " is the exit status the simulated session ends with, 0 to 255; '"
                + value + "' is not");
    }
}
