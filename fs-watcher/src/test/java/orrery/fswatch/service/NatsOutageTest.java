package orrery.fswatch.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import orrery.model.fs.FsEvent;
import orrery.testsupport.InjectNats;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsServer;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.ServiceChecks;
import org.junit.jupiter.api.Test;

/** Its own application and server, since it kills NATS. */
@QuarkusTest
@TestProfile(NatsOutageTest.Outage.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
@WithTestResource(JwtTestResource.class)
class NatsOutageTest extends WatcherTestBase {

    public static class Outage implements QuarkusTestProfile {
    }

    private static final Duration RECOVERY = Duration.ofSeconds(90);

    @InjectNats
    NatsServer nats;

    @Test
    void aChangeMadeWhileNatsIsAwayIsPublishedOnceItIsBack() throws Exception {
        Tree tree = newTree("outage");
        tree.write("before.txt", "before");
        FsEventStream stream = watch(tree);
        stream.await("created", event -> event.path().equals("before.txt"));

        nats.kill();
        try {
            tree.write("during.txt", "written while NATS was away");
            await().atMost(FsEventStream.PATIENCE).until(() ->
                    given().get("/q/health/ready").then().extract().statusCode() == 503);
        } finally {
            nats.restart();
        }
        ServiceChecks.readyWith("nats");

        // A fresh reader: the old one's ordered consumer only notices the outage after missed heartbeats.
        // After a kill -9 the server recovers its JetStream store first, which can take a while on a busy machine.
        FsEventStream after = events(tree, RECOVERY);
        FsEvent during = after.await("published after the outage", event -> event.path().equals("during.txt"),
                RECOVERY);
        assertThat(during.sha256()).isEqualTo(sha("written while NATS was away"));
        // The fence follows the outage too: its publish may meet JetStream still recovering (a retry).
        assertThat(fence(tree, after, RECOVERY)).extracting(FsEvent::path).containsExactly("before.txt", "during.txt");
    }
}
