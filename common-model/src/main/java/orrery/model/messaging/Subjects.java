package orrery.model.messaging;

import java.util.regex.Pattern;

/**
 * Every NATS subject Orrery uses, so that no service spells one by hand.
 *
 * <p>Builders take identifiers (task ids, execution ids, root names) and check that they are a
 * single subject token: no dots, wildcards or whitespace, which would otherwise let an id
 * address other subjects.
 */
public final class Subjects {

    /** Commands to services ({@link Streams#TASKS}, work queue). */
    public static final String TASKS = "tasks";
    public static final String TASKS_ALL = "tasks.>";
    public static final String STAGING_DIRECTORY = "tasks.staging.directory";
    public static final String STAGING_TRANSFER = "tasks.staging.transfer";
    public static final String STAGING_CANCEL = "tasks.staging.cancel";
    public static final String STAGING_ALL = "tasks.staging.>";
    public static final String CANFAR_LAUNCH = "tasks.canfar.launch";
    public static final String CANFAR_DELETE = "tasks.canfar.delete";
    public static final String CANFAR_ALL = "tasks.canfar.>";
    public static final String BUILD_PREFIX = "tasks.build.";
    public static final String BUILD_ALL = "tasks.build.>";

    /** Facts ({@link Streams#EVENTS}, limits). */
    public static final String EVENTS = "events";
    public static final String EVENTS_ALL = "events.>";
    public static final String TASK_EVENTS_ALL = "events.task.>";
    public static final String EXECUTION_EVENTS_ALL = "events.execution.>";
    public static final String SESSION_EVENTS_ALL = "events.session.>";
    public static final String FS_EVENTS_ALL = "events.fs.>";
    public static final String ARTEFACT_EVENTS_ALL = "events.artefact.>";

    /** Dead letters ({@link Streams#DLQ}). */
    public static final String DLQ = "dlq";
    public static final String DLQ_ALL = "dlq.>";

    /** Core NATS request/reply questions. */
    public static final String QUOTE_STAGING = "quote.staging";
    public static final String QUOTE_CANFAR = "quote.canfar";
    public static final String RULES_HOWTO = "rules.howto";
    /** Builders announce the rules they offer here (core NATS, repeated on start-up and on request). */
    public static final String RULES_ANNOUNCE = "rules.announce";
    /** Anyone may ask builders to announce again (for example a dependency manager that just started). */
    public static final String RULES_DISCOVER = "rules.discover";

    /** Simulated time (deploy/sim; protocol in docs/design-notes.md, "Simulated time"). */
    public static final String SIM_ALL = "sim.>";
    /** The controller publishes the current virtual time and epoch here whenever it moves ({@code SimTime}). */
    public static final String SIM_TIME = "sim.time";
    /** Participants report that they are idle for an epoch, with their next wake-up ({@code SimIdle}). */
    public static final String SIM_IDLE = "sim.idle";
    /** Participants say when they leave idle ({@code SimBusy}); for leak reports, never needed for safety. */
    public static final String SIM_BUSY = "sim.busy";
    /** Participants join ({@code SimJoin}); the controller answers with the current {@code SimTime}. */
    public static final String SIM_JOIN = "sim.join";
    /** Participants leave on a clean shutdown ({@code SimJoin}). */
    public static final String SIM_LEAVE = "sim.leave";
    /** Request/reply: what is the simulated time now ({@code SimTime}). */
    public static final String SIM_NOW = "sim.now";
    /** Request/reply to every participant: are you still idle as reported ({@code SimBusy} or {@code SimIdle}). */
    public static final String SIM_STATUS = "sim.status";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_\\-]{1,128}");

    private Subjects() {
    }

    public static String build(String builder) {
        return BUILD_PREFIX + token(builder, "builder");
    }

    public static String taskEvents(String taskId) {
        return "events.task." + token(taskId, "task id");
    }

    public static String executionEvents(String executionId) {
        return "events.execution." + token(executionId, "execution id");
    }

    public static String sessionEvents(String sessionId) {
        return "events.session." + token(sessionId, "session id");
    }

    public static String fsEvents(String root) {
        return "events.fs." + token(root, "root name");
    }

    public static String artefactEvents(String artefactId) {
        return "events.artefact." + token(artefactId, "artefact id");
    }

    /** The dead-letter subject for a message first sent on {@code original}. */
    public static String deadLetter(String original) {
        if (original == null || original.isBlank()) {
            return DLQ + ".unknown";
        }
        return original.startsWith(DLQ + ".") ? original : DLQ + "." + original;
    }

    /** The last token of a subject, e.g. the task id of {@code events.task.<id>}. */
    public static String lastToken(String subject) {
        int dot = subject.lastIndexOf('.');
        return dot < 0 ? subject : subject.substring(dot + 1);
    }

    /** True if {@code value} can be used as one subject token. */
    public static boolean isToken(String value) {
        return value != null && TOKEN.matcher(value).matches();
    }

    private static String token(String value, String what) {
        if (!isToken(value)) {
            throw new IllegalArgumentException(what + " '" + value
                    + "' cannot be a NATS subject token: use letters, digits, '-' and '_' (at most 128)");
        }
        return value;
    }
}
