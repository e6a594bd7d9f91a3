package orrery.model.messaging;

import java.time.Duration;
import java.util.List;

/** The three JetStream streams of DESIGN.md. */
public final class Streams {

    /** Commands to services: each is taken by exactly one consumer and removed on ack. */
    public static final StreamSpec TASKS = new StreamSpec("TASKS", List.of(Subjects.TASKS_ALL),
            StreamSpec.Retention.WORK_QUEUE, Duration.ofDays(7), -1, Duration.ofMinutes(10));

    /** Facts: kept for a week (or 1 GiB) so late or restarted readers can catch up. */
    public static final StreamSpec EVENTS = new StreamSpec("EVENTS", List.of(Subjects.EVENTS_ALL),
            StreamSpec.Retention.LIMITS, Duration.ofDays(7), 1L << 30, Duration.ofMinutes(2));

    /** Messages that failed {@code max-deliver} times, with the reason; kept for 30 days. */
    public static final StreamSpec DLQ = new StreamSpec("DLQ", List.of(Subjects.DLQ_ALL),
            StreamSpec.Retention.LIMITS, Duration.ofDays(30), 256L << 20, Duration.ofMinutes(2));

    public static final List<StreamSpec> ALL = List.of(TASKS, EVENTS, DLQ);

    private Streams() {
    }
}
