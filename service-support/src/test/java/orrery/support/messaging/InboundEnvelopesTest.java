package orrery.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.Headers;
import orrery.model.time.LamportClock;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(NatsTestResource.class)
class InboundEnvelopesTest {

    @Inject
    Connection connection;

    @Inject
    EnvelopeCodec codec;

    @Inject
    RecordingHandler handler;

    @Inject
    LamportClock clock;

    @Inject
    JetStreamPublisher publisher;

    @Test
    void handsAValidEnvelopeToTheHandlerOnASafeContextAndMergesItsClock() {
        Envelope sent = envelope("test.ok", 1000);

        publish("tasks.test.ok", sent);

        await().atMost(Duration.ofSeconds(30)).until(() -> handler.timesHandled(sent.id()) > 0);
        assertThat(clock.current()).isGreaterThan(1000);
        assertThat(handler.safeContexts()).isNotEmpty().doesNotContain(false);
        assertThat(handler.attemptsOf(sent.id())).isEqualTo(1);
    }

    @Test
    void sendsPoisonToTheDeadLetterStreamWithTheReason() throws Exception {
        connection.jetStream().publish("tasks.test.poison", "this is not json".getBytes(StandardCharsets.UTF_8));

        MessageInfo dead = awaitDeadLetter("dlq.tasks.test.poison");

        assertThat(new String(dead.getData(), StandardCharsets.UTF_8)).isEqualTo("this is not json");
        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("unreadable message").contains("not valid JSON");
        assertThat(dead.getHeaders().getFirst(Headers.DLQ_SUBJECT)).isEqualTo("tasks.test.poison");
    }

    @Test
    void namesTheUnknownFieldOfARefusedEnvelope() throws Exception {
        String json = new String(codec.encode(envelope("test.ok", 1)), StandardCharsets.UTF_8)
                .replace("\"lamport\"", "\"priority\":9,\"lamport\"");
        connection.jetStream().publish("tasks.test.unknown", json.getBytes(StandardCharsets.UTF_8));

        MessageInfo dead = awaitDeadLetter("dlq.tasks.test.unknown");

        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("unknown field 'priority'");
    }

    @Test
    void deadLettersAMessageThatKeepsFailingAfterMaxDeliver() throws Exception {
        Envelope sent = envelope("test.fail", 1);

        publish("tasks.test.fail", sent);

        MessageInfo dead = awaitDeadLetter("dlq.tasks.test.fail");
        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON))
                .contains("gave up after 3 deliveries").contains("disk on fire");
        assertThat(dead.getHeaders().getFirst(Headers.DLQ_DELIVERIES)).isEqualTo("3");
        assertThat(handler.attemptsOf(sent.id())).isEqualTo(3);
        assertThat(codec.decode(dead.getData()).id()).isEqualTo(sent.id());
    }

    @Test
    void deadLettersAPermanentRefusalAtOnce() throws Exception {
        Envelope sent = envelope("test.reject", 1);

        publish("tasks.test.reject", sent);

        MessageInfo dead = awaitDeadLetter("dlq.tasks.test.reject");
        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("rejected: no such pool");
        assertThat(handler.attemptsOf(sent.id())).isEqualTo(1);
    }

    @Test
    void redeliversWhenTheHandlerAsksToRetryLater() {
        Envelope sent = envelope("test.later", 1);

        publish("tasks.test.later", sent);

        await().atMost(Duration.ofSeconds(30)).until(() -> handler.timesHandled(sent.id()) > 0);
        assertThat(handler.attemptsOf(sent.id())).isEqualTo(2);
    }

    @Test
    void dropsADuplicatePublishOfTheSameEnvelope() {
        Envelope sent = envelope("test.ok", 1);

        PublishAck first = publisher.publish("tasks.test.dup", sent).await().atMost(Duration.ofSeconds(10));
        PublishAck second = publisher.publish("tasks.test.dup", sent).await().atMost(Duration.ofSeconds(10));

        assertThat(first.isDuplicate()).isFalse();
        assertThat(second.isDuplicate()).isTrue();
        assertThat(second.getSeqno()).as("the stream kept the first copy only").isEqualTo(first.getSeqno());
        await().atMost(Duration.ofSeconds(30)).until(() -> handler.timesHandled(sent.id()) > 0);
    }

    private MessageInfo awaitDeadLetter(String subject) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        return await().atMost(Duration.ofSeconds(30)).ignoreException(JetStreamApiException.class)
                .until(() -> jsm.getLastMessage("DLQ", subject), m -> m != null);
    }

    private void publish(String subject, Envelope envelope) {
        publisher.publish(subject, envelope).await().atMost(Duration.ofSeconds(10));
    }

    private static Envelope envelope(String type, long lamport) {
        return new Envelope("1.0", UUID.randomUUID().toString(), "test", type, null,
                Instant.parse("2024-08-30T09:45:00Z"), "application/json", lamport, null, null);
    }
}
