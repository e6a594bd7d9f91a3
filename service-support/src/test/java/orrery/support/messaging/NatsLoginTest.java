package orrery.support.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.NatsUsers;
import orrery.model.messaging.Streams;
import orrery.model.messaging.Subjects;
import orrery.testsupport.InjectNats;
import orrery.testsupport.NatsServer;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

/**
 * A service that logs in to NATS as itself, the staging service here, against a server with
 * Orrery's users and permissions (deploy/k8s/base/nats/users.conf, as up.sh and Kubernetes run
 * it). The login comes through {@code orrery.nats.username/password} (README's "NATS
 * authentication"), and every NATS client of the service shares it: the streams, the durable
 * consumer, {@link JetStreamPublisher} and {@link NatsRequestReply}. The test consumer plays the staging service's consumer (name {@code staging}, filter
 * {@code tasks.staging.>}); the broker is a plain jnats client with the broker's login.
 */
@QuarkusTest
@TestProfile(NatsLoginTest.AsTheStagingService.class)
@WithTestResource(value = NatsTestResource.class, initArgs = @ResourceArg(name = "login", value = NatsUsers.STAGING_SERVICE))
class NatsLoginTest {

    /** The test channel becomes the staging service's consumer. */
    public static class AsTheStagingService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orrery.test.consumer", "staging", "orrery.test.filter", Subjects.STAGING_ALL,
                    "orrery.messaging.consumers.staging.backoff", "PT0.1S,PT0.2S");
        }
    }

    /** A refused login is answered at once; jnats waits out its connection timeout before it says so. */
    private static final Duration REFUSAL = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectNats
    NatsServer nats;

    @Inject
    Connection connection;

    @Inject
    RecordingHandler handler;

    @Inject
    JetStreamPublisher publisher;

    @Inject
    NatsRequestReply requests;

    @Inject
    EnvelopeCodec codec;

    @Test
    void theServiceLogsInCreatesItsStreamsAndIsReady() throws Exception {
        assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        assertThat(connection.jetStreamManagement().getStreamNames()).contains("TASKS", "EVENTS", "DLQ");
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void itTakesTheBrokersTasksAndAcknowledgesThemWithItsOwnLogin() throws Exception {
        Envelope task = envelope(Subjects.STAGING_TRANSFER);
        try (Connection broker = Nats.connect(nats.options(NatsUsers.EXECUTION_BROKER).build());
             Connection admin = Nats.connect(nats.options(NatsUsers.ADMIN).build())) {
            broker.jetStream().publish(Subjects.STAGING_TRANSFER, codec.encode(task));

            await().atMost(WAIT).until(() -> handler.timesHandled(task.id()) > 0);
            // acknowledged: the work queue let go of it
            await().atMost(WAIT).until(() -> {
                try {
                    admin.jetStreamManagement().getLastMessage(Streams.TASKS.name(), Subjects.STAGING_TRANSFER);
                    return false;
                } catch (JetStreamApiException gone) {
                    return true;
                }
            });
        }
    }

    @Test
    void itReportsAndAnswersQuotesWithItsOwnLoginButSendsNoCommands() throws Exception {
        assertThat(publisher.publish(Subjects.taskEvents("t-login"), envelope(Subjects.taskEvents("t-login")))
                .await().atMost(WAIT).getStream()).isEqualTo(Streams.EVENTS.name());

        try (AutoCloseable serving = requests.serve(Subjects.QUOTE_STAGING, "staging-service", "test.quote.reply",
                request -> Uni.createFrom().item(Map.of("seconds", 42)));
             Connection broker = Nats.connect(nats.options(NatsUsers.EXECUTION_BROKER).build())) {
            connection.flush(WAIT);
            Message reply = broker.request(Subjects.QUOTE_STAGING, codec.encode(envelope(Subjects.QUOTE_STAGING)), WAIT);
            assertThat(reply).as("an answer from the service's request/reply, on its own login").isNotNull();
            Envelope answer = codec.decode(reply.getData());
            assertThat(answer.type()).isEqualTo("test.quote.reply");
            assertThat(answer.data().path("seconds").asInt()).isEqualTo(42);
        }

        // Refused at once by the server (no stream ack ever comes); an allowed publish takes milliseconds.
        assertThatThrownBy(() -> publisher.publish(Subjects.CANFAR_LAUNCH, envelope(Subjects.CANFAR_LAUNCH))
                .await().atMost(Duration.ofSeconds(1)))
                .as("tasks.canfar.* are the broker's to send").isInstanceOf(Exception.class);
    }

    @Test
    void theServerRefusesAClientWithoutTheLogin() {
        Options anonymous = new Options.Builder().server(nats.url()).connectionTimeout(REFUSAL)
                .maxReconnects(0).noReconnect().build();
        Options wrong = new Options.Builder().server(nats.url()).userInfo(NatsUsers.STAGING_SERVICE, "wrong")
                .connectionTimeout(REFUSAL).noReconnect().build();

        assertThatThrownBy(() -> Nats.connect(anonymous).close()).hasMessageContaining("Authorization");
        assertThatThrownBy(() -> Nats.connect(wrong).close()).hasMessageContaining("Authorization");
    }

    private static Envelope envelope(String subject) {
        return new Envelope("1.0", UUID.randomUUID().toString(), "test", "test.ok", subject,
                Instant.parse("2024-08-30T09:45:00Z"), "application/json", 1, null, null);
    }
}
