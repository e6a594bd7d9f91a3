package orrery.broker;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import orrery.testsupport.DatabaseServiceStartupContract;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.OwnApplication;
import orrery.testsupport.PostgresTestResource;

/**
 * The service starts against real NATS and PostgreSQL and its readiness follows them. It runs in an
 * application of its own because it stops and restarts them.
 */
@QuarkusTest
@TestProfile(OwnApplication.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ExecutionBrokerStartupTest extends DatabaseServiceStartupContract {

    @Override
    protected String title() {
        return "Orrery execution broker";
    }
}
