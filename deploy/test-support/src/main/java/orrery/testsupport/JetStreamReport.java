package orrery.testsupport;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import orrery.model.messaging.Headers;

/**
 * JetStream's view of a test's NATS, for a test that failed: every stream's size, every consumer's
 * pending, awaiting-ack and redelivered counts (a message nobody settles shows here), and each dead
 * letter with the reason it was given. Read as the admin user.
 */
public final class JetStreamReport {

    private JetStreamReport() {
    }

    /** Prints the report and writes it to {@code file}. */
    public static void write(NatsServer nats, Path file) {
        List<String> lines = lines(nats);
        lines.forEach(System.out::println);
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            System.out.println("cannot write " + file + ": " + e.getMessage());
        }
    }

    public static List<String> lines(NatsServer nats) {
        List<String> lines = new ArrayList<>();
        try (Connection connection = Nats.connect(nats.options("admin").build())) {
            JetStreamManagement streams = connection.jetStreamManagement();
            for (String stream : streams.getStreamNames()) {
                StreamInfo info = streams.getStreamInfo(stream);
                lines.add("stream " + stream + ": " + info.getStreamState().getMsgCount() + " messages");
                for (ConsumerInfo consumer : streams.getConsumers(stream)) {
                    lines.add(String.format("  consumer %s: pending %d, awaiting ack %d, redelivered %d, delivered up to %d, acked up to %d",
                            consumer.getName(), consumer.getNumPending(), consumer.getNumAckPending(), consumer.getRedelivered(),
                            consumer.getDelivered().getStreamSequence(), consumer.getAckFloor().getStreamSequence()));
                }
                if (stream.equals("DLQ") && info.getStreamState().getMsgCount() > 0) {
                    for (long seq = info.getStreamState().getFirstSequence(); seq <= info.getStreamState().getLastSequence(); seq++) {
                        MessageInfo message = streams.getMessage(stream, seq);
                        lines.add("  dead letter " + seq + " " + message.getHeaders().getFirst(Headers.DLQ_SUBJECT) + ": "
                                + message.getHeaders().getFirst(Headers.DLQ_REASON));
                    }
                }
            }
        } catch (Exception e) {
            lines.add("JetStream could not be read: " + e);
        }
        return lines;
    }
}
