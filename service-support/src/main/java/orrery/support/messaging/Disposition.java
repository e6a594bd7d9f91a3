package orrery.support.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * What to do with a message once its handler is done with it.
 *
 * @param delay for {@link Kind#RETRY}: how long to wait before redelivery, or null for the
 *              consumer's configured back-off
 */
public record Disposition(Kind kind, Duration delay, String reason) {

    /** The possible outcomes. */
    public enum Kind {
        /** Handled (or already handled before): acknowledge. */
        DONE,
        /** Not now: redeliver later, and dead-letter when deliveries run out. */
        RETRY,
        /** Can never succeed: send to the dead-letter stream with the reason, then acknowledge. */
        DEAD_LETTER
    }

    private static final Disposition DONE = new Disposition(Kind.DONE, null, null);

    public Disposition {
        Objects.requireNonNull(kind, "kind");
    }

    public static Disposition done() {
        return DONE;
    }

    public static Disposition retryLater(Duration delay, String reason) {
        return new Disposition(Kind.RETRY, delay, reason);
    }

    /**
     * Not yet, for a wait that may be long (what it waits for may be held by a process that died):
     * redeliver by the consumer's back-off, which rides out minutes, not a fixed short delay.
     */
    public static Disposition notYet(String reason) {
        return new Disposition(Kind.RETRY, null, reason);
    }

    public static Disposition deadLetter(String reason) {
        return new Disposition(Kind.DEAD_LETTER, null, reason);
    }
}
