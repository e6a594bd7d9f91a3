package orrery.support.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import orrery.model.envelope.Envelope;
import orrery.testsupport.InjectNats;
import orrery.testsupport.NatsServer;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.Processes;
import org.junit.jupiter.api.Test;

/**
 * A real nats-server killed with SIGKILL and started again under a running service: the
 * service's consumer binds again and takes new messages, publishing works again, readiness goes
 * DOWN while NATS is away and comes back by itself, and liveness never goes DOWN for it. The
 * second case brings the server back with an empty store (a lost volume): the streams and the
 * consumer are made again.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
class NatsRestartTest {
    // Shares the application (and the server) of the other default-profile tests: a profile of its
    // own would cost a second start-up, and each case leaves the server running again.

    private static final Duration WAIT = Duration.ofSeconds(60);

    @InjectNats
    NatsServer nats;

    @Inject
    RecordingHandler handler;

    @Inject
    JetStreamPublisher publisher;

    @Test
    void carriesOnAfterTheServerIsKilledAndRestarted() {
        assertHandledOnce(envelope());
        awaitReady(200);

        nats.kill();
        awaitReady(503);
        given().get("/q/health/live").then().statusCode(200);

        nats.restart();
        awaitReady(200);
        assertHandledOnce(envelope());
    }

    @Test
    void makesTheStreamsAndItsConsumerAgainWhenTheServerComesBackEmpty() {
        assertHandledOnce(envelope());

        nats.kill();
        Processes.deleteTree(nats.storeDir());
        nats.restart();

        awaitReady(200);
        assertHandledOnce(envelope());
    }

    private void assertHandledOnce(Envelope sent) {
        await().atMost(WAIT).ignoreExceptions()
                .until(() -> publisher.publish("tasks.test.restart", sent).await().atMost(Duration.ofSeconds(5)) != null);
        await().atMost(WAIT).until(() -> handler.timesHandled(sent.id()) > 0);
        assertThat(handler.timesHandled(sent.id())).isEqualTo(1);
    }

    private static void awaitReady(int status) {
        await().atMost(WAIT).until(() -> given().get("/q/health/ready").statusCode() == status);
    }

    private static Envelope envelope() {
        return new Envelope("1.0", UUID.randomUUID().toString(), "test", "test.ok", null,
                Instant.parse("2024-08-30T09:45:00Z"), "application/json", 1, null, null);
    }
}
