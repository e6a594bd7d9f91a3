package orrery.model.messaging;

/** The CloudEvents {@code type} of every Orrery message. */
public final class MessageTypes {

    /** A progress or result report of any task, on {@code events.task.<taskId>}. */
    public static final String TASK_EVENT = "orrery.task.event";

    public static final String STAGING_DIRECTORY = "orrery.task.staging.directory";
    public static final String STAGING_TRANSFER = "orrery.task.staging.transfer";
    public static final String STAGING_CANCEL = "orrery.task.staging.cancel";
    public static final String STAGING_QUOTE = "orrery.quote.staging";
    public static final String STAGING_QUOTE_REPLY = "orrery.quote.staging.reply";

    public static final String CANFAR_LAUNCH = "orrery.task.canfar.launch";
    public static final String CANFAR_DELETE = "orrery.task.canfar.delete";
    public static final String CANFAR_QUOTE = "orrery.quote.canfar";
    public static final String CANFAR_QUOTE_REPLY = "orrery.quote.canfar.reply";
    /** A session status change, on {@code events.session.<sessionId>}. */
    public static final String SESSION_EVENT = "orrery.session.event";

    /** An execution state change, on {@code events.execution.<executionId>}. */
    public static final String EXECUTION_EVENT = "orrery.execution.event";

    /** A file change, on {@code events.fs.<root>}. */
    public static final String FS_EVENT = "orrery.fs.event";

    /** An artefact change, on {@code events.artefact.<id>}. */
    public static final String ARTEFACT_EVENT = "orrery.artefact.event";
    public static final String BUILD_TASK = "orrery.task.build";
    public static final String RULES_ANNOUNCE = "orrery.rules.announce";
    public static final String RULES_DISCOVER = "orrery.rules.discover";
    public static final String RULES_HOWTO = "orrery.rules.howto";
    public static final String RULES_HOWTO_REPLY = "orrery.rules.howto.reply";

    /** A request/reply answer that is an error: {@code data} is a problem+json document. */
    public static final String PROBLEM = "orrery.problem";

    private MessageTypes() {
    }
}
