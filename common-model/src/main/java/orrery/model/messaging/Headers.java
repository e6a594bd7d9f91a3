package orrery.model.messaging;

/** NATS message headers Orrery sets or reads. */
public final class Headers {

    /** JetStream de-duplication id; Orrery sets it to the envelope id (the task id for commands). */
    public static final String MSG_ID = "Nats-Msg-Id";
    /** On a dead letter: why it was dead-lettered. */
    public static final String DLQ_REASON = "Orrery-Dlq-Reason";
    /** On a dead letter: the subject it was first sent on. */
    public static final String DLQ_SUBJECT = "Orrery-Dlq-Subject";
    /** On a dead letter: which consumer gave up on it. */
    public static final String DLQ_CONSUMER = "Orrery-Dlq-Consumer";
    /** On a dead letter: how many times it was delivered. */
    public static final String DLQ_DELIVERIES = "Orrery-Dlq-Deliveries";
    /** On a dead letter whose body was cut short to fit: the original body's size in bytes. */
    public static final String DLQ_ORIGINAL_SIZE = "Orrery-Dlq-Original-Size";

    private Headers() {
    }
}
