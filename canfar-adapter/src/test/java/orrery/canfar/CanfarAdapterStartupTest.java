package orrery.canfar;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import orrery.testsupport.DatabaseServiceStartupContract;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.OwnApplication;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The service starts against real NATS and PostgreSQL and its readiness follows them. It runs in an
 * application of its own because it stops and restarts them. Its requests carry an administrator's
 * token, since /q/metrics is for administrators (health and OpenAPI are open either way).
 */
@QuarkusTest
@TestProfile(OwnApplication.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class CanfarAdapterStartupTest extends DatabaseServiceStartupContract {

    @BeforeEach
    void asAnAdministrator() {
        RestAssured.authentication = RestAssured.oauth2(JwtTestResource.admin("metrics-scraper"));
    }

    @AfterEach
    void anonymousAgain() {
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
    }

    @Override
    protected String title() {
        return "Orrery CANFAR adapter";
    }
}
