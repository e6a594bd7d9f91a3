package orrery.broker;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import orrery.testsupport.DatabaseServiceStartupContract;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;

/**
 * The service starts against real NATS and PostgreSQL and its readiness follows them. It shares the
 * application of the other tests with its resources: it stops and restarts them, and the classes after it
 * prove that the application came back without a restart (each boot of a test application costs about
 * 15 s of CPU).
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ExecutionBrokerStartupTest extends DatabaseServiceStartupContract {

    @Override
    protected String title() {
        return "Orrery execution broker";
    }
}
