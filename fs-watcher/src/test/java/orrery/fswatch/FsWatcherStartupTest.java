package orrery.fswatch;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import orrery.testsupport.InjectNats;
import orrery.testsupport.NatsServer;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.ServiceChecks;
import org.junit.jupiter.api.Test;

/** The service starts against real NATS, and its readiness follows them. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
class FsWatcherStartupTest {

    @InjectNats
    NatsServer nats;

    @Test
    void startsReadyWithHealthOpenApiAndMetrics() {
        ServiceChecks.readyWith("nats");
        ServiceChecks.servesOpenApiAndMetrics("Orrery fs-watcher");
    }

    @Test
    void createsTheStreamsOfTheDesign() throws Exception {
        ServiceChecks.streamsAsDesigned(nats.url());
    }

    @Test
    void readinessFollowsNats() {
        ServiceChecks.readinessFollowsNats(nats);
    }
}
