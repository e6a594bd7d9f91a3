package orrery.testsupport;

import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;

/** Reads what services published to JetStream, for assertions. */
public final class JetStreamProbe {

    private final JetStreamManagement jsm;
    private final EnvelopeCodec codec = new EnvelopeCodec();

    public JetStreamProbe(Connection connection) {
        try {
            this.jsm = connection.jetStreamManagement();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last envelope on {@code subject}, or null when there is none. */
    public Envelope last(String stream, String subject) {
        try {
            MessageInfo info = jsm.getLastMessage(stream, subject);
            return info == null ? null : codec.decode(info.getData());
        } catch (JetStreamApiException notFound) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw last message on {@code subject}, with headers, or null. */
    public MessageInfo lastRaw(String stream, String subject) {
        try {
            return jsm.getLastMessage(stream, subject);
        } catch (JetStreamApiException notFound) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the last envelope on {@code subject} satisfies {@code condition}, and returns it. */
    public Envelope awaitLast(String stream, String subject, Predicate<Envelope> condition, Duration atMost) {
        return await("last message on " + subject).atMost(atMost)
                .until(() -> last(stream, subject), envelope -> envelope != null && condition.test(envelope));
    }

    /** How many messages the stream holds on {@code subject}. */
    public long count(String stream, String subject) {
        try {
            List<Subject> subjects = jsm.getStreamInfo(stream, StreamInfoOptions.filterSubjects(subject))
                    .getStreamState().getSubjects();
            return subjects == null ? 0 : subjects.stream().mapToLong(Subject::getCount).sum();
        } catch (JetStreamApiException notFound) {
            return 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every envelope the stream holds on {@code subject}, oldest first. */
    public List<Envelope> all(String stream, String subject) {
        List<Envelope> envelopes = new ArrayList<>();
        try {
            long first = jsm.getStreamInfo(stream).getStreamState().getFirstSequence();
            long lastSeq = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
            long seq = first;
            while (seq <= lastSeq) {
                MessageInfo info;
                try {
                    info = jsm.getNextMessage(stream, seq, subject);
                } catch (JetStreamApiException none) {
                    break;
                }
                if (info == null) {
                    break;
                }
                envelopes.add(codec.decode(info.getData()));
                seq = info.getSeq() + 1;
            }
            return envelopes;
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }
}
