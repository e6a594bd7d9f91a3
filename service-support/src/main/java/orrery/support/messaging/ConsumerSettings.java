package orrery.support.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a durable consumer takes its messages.
 *
 * @param ackWait    how long JetStream waits for a settlement before it redelivers (a handler that
 *                   runs longer says "in progress" every third of it)
 * @param backoff    the delays before each redelivery of a handler's "retry later" without a
 *                   delay of its own, the last repeating (a delivery nobody settled comes back
 *                   after {@code ackWait})
 * @param maxDeliver deliveries before a message that keeps failing goes to the dead-letter stream
 * @param batch      messages fetched in one pull; 1 for handlers that run for minutes, so that no
 *                   fetched message waits out its ack-wait behind them
 */
public record ConsumerSettings(Duration ackWait, List<Duration> backoff, int maxDeliver, int batch) {

    /** Rides out an outage of a few minutes (about 4 in all with 8 deliveries) before dead-lettering. */
    public static final List<Duration> DEFAULT_BACKOFF = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));

    public ConsumerSettings {
        Objects.requireNonNull(ackWait, "ackWait");
        backoff = List.copyOf(backoff);
        if (backoff.isEmpty()) {
            throw new IllegalArgumentException("backoff needs at least one delay");
        }
        if (maxDeliver < 1 || batch < 1) {
            throw new IllegalArgumentException("maxDeliver and batch must be at least 1");
        }
    }

    /** 30 s ack-wait, {@link #DEFAULT_BACKOFF}, batches of 8. */
    public static ConsumerSettings defaults(int maxDeliver) {
        return new ConsumerSettings(Duration.ofSeconds(30), DEFAULT_BACKOFF, maxDeliver, 8);
    }

    public ConsumerSettings withAckWait(Duration wait) {
        return new ConsumerSettings(wait, backoff, maxDeliver, batch);
    }

    public ConsumerSettings withBackoff(Duration... delays) {
        return new ConsumerSettings(ackWait, List.of(delays), maxDeliver, batch);
    }

    public ConsumerSettings withBatch(int size) {
        return new ConsumerSettings(ackWait, backoff, maxDeliver, size);
    }

    /** The wait before delivery {@code deliveredCount + 1}. */
    public Duration retryDelay(long deliveredCount) {
        int index = (int) Math.min(Math.max(deliveredCount - 1, 0), backoff.size() - 1);
        return backoff.get(index);
    }

    /**
     * The server's own limit, two above ours: our code dead-letters at {@link #maxDeliver}, and the
     * slack means a delivery lost with a crashed process still comes back to be dead-lettered
     * instead of staying unacknowledged in the stream.
     */
    long serverMaxDeliver() {
        return maxDeliver + 2L;
    }
}
