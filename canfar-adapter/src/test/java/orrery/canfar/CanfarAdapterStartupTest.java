package orrery.canfar;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import orrery.testsupport.InjectNats;
import orrery.testsupport.NatsServer;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.InjectPostgres;
import orrery.testsupport.PostgresServer;
import orrery.testsupport.PostgresTestResource;
import orrery.testsupport.ServiceChecks;
import org.junit.jupiter.api.Test;

/**
 * The service starts against real NATS and PostgreSQL, and its readiness follows them. It stops
 * and restarts both, so it runs in an application of its own (its profile): the other tests
 * then start with connections that never saw a restart.
 */
@QuarkusTest
@TestProfile(CanfarAdapterStartupTest.OwnApplication.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
class CanfarAdapterStartupTest {

    /** No settings of its own: a distinct profile is what gives the test its own application. */
    public static class OwnApplication implements QuarkusTestProfile {
    }

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
