package orrery.canfar;

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
 * application of its own because it stops and restarts them. The contract also checks that /q/metrics
 * is for administrators (401 without a token, 403 for a user), with tokens JwtTestResource signs.
 */
@QuarkusTest
@TestProfile(OwnApplication.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class CanfarAdapterStartupTest extends DatabaseServiceStartupContract {

    @Override
    protected String title() {
        return "Orrery CANFAR adapter";
    }
}
