package orrery.canfar;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import orrery.testsupport.InjectNats;
import orrery.testsupport.NatsServer;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.InjectPostgres;
import orrery.testsupport.PostgresServer;
import orrery.testsupport.PostgresTestResource;
import orrery.testsupport.ServiceChecks;
import org.junit.jupiter.api.Test;

/** The service starts against real NATS and PostgreSQL, and its readiness follows them. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
class CanfarAdapterStartupTest {

    @InjectNats
    NatsServer nats;

    @InjectPostgres
    PostgresServer postgres;

    @Test
    void startsReadyWithHealthOpenApiAndMetrics() {
        ServiceChecks.readyWith("nats", "Database");
        ServiceChecks.servesOpenApiAndMetrics("Orrery CANFAR adapter");
    }

    @Test
    void createsTheStreamsOfTheDesign() throws Exception {
        ServiceChecks.streamsAsDesigned(nats.url());
    }

    @Test
    void readinessFollowsNats() {
        ServiceChecks.readinessFollowsNats(nats);
    }

    @Test
    void readinessFollowsPostgres() {
        ServiceChecks.readinessFollowsDatabase(postgres);
    }
}
