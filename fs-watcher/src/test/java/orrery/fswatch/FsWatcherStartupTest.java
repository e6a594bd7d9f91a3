package orrery.fswatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsServiceStartupContract;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.OwnApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service starts against real NATS and its readiness follows them. It runs in an
 * application of its own because it stops and restarts them.
 *
 * <p>{@code /q/metrics} is for administrators (shared configuration), so the contract's requests
 * carry an administrator's token; health and OpenAPI stay open.
 */
@QuarkusTest
@TestProfile(OwnApplication.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(JwtTestResource.class)
class FsWatcherStartupTest extends NatsServiceStartupContract {

    @Override
    protected String title() {
        return "Orrery fs-watcher";
    }

    @BeforeEach
    void asAnAdministrator() {
        RestAssured.requestSpecification = new RequestSpecBuilder()
                .addHeader("Authorization", "Bearer " + JwtTestResource.admin("metrics-scraper")).build();
    }

    @AfterEach
    void asNobody() {
        RestAssured.requestSpecification = null;
    }

    @Test
    void metricsAreForAdministratorsOnly() {
        RestAssured.requestSpecification = null;
        given().get("/q/metrics").then().statusCode(401);
        given().auth().oauth2(JwtTestResource.forged("root")).get("/q/metrics").then().statusCode(401);
        given().auth().oauth2(JwtTestResource.token("alice")).get("/q/metrics").then().statusCode(403);
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo(title()));
    }
}
