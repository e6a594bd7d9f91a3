package orrery.support.messaging;

import java.util.List;
import java.util.Map;

/**
 * Where an incoming JetStream message came from and how often it has been delivered.
 *
 * @param deliveredCount 1 on first delivery, higher on redelivery
 */
public record Delivery(
        String stream,
        String subject,
        String consumer,
        long deliveredCount,
        long streamSequence,
        Map<String, List<String>> headers,
        byte[] body) {

    public boolean isRedelivery() {
        return deliveredCount > 1;
    }
}
