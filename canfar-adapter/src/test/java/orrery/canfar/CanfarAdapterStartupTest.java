package orrery.canfar;

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
 * 15 s of CPU). The contract also checks that /q/metrics
 * is for administrators (401 without a token, 403 for a user), with tokens JwtTestResource signs.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class CanfarAdapterStartupTest extends DatabaseServiceStartupContract {

    @Override
    protected String title() {
        return "Orrery CANFAR adapter";
    }
}
