package orrery.staging.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import orrery.staging.StagingTestResource;
import orrery.testsupport.InjectPostgres;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresServer;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped at once (as a crash would) under a running service, then started again:
 * readiness goes DOWN and comes back by itself, liveness never goes DOWN for it, and the API
 * reads the database again without a process restart. Prints how long readiness took to return.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(StagingTestResource.class)
@WithTestResource(JwtTestResource.class)
class PostgresRestartTest {

    // Shares the application and the cluster of the other staging tests: the case leaves it running.

    private static final Duration WAIT = Duration.ofSeconds(60);

    @InjectPostgres
    PostgresServer postgres;

    @Test
    void readinessFollowsTheDatabaseAndTheApiWorksAgainAfterItsRestart() {
        String token = JwtTestResource.token("alice");
        given().auth().oauth2(token).get("/api/v1/transfers/rest-unknown").then().statusCode(404);
        awaitReady(200);

        postgres.stop();
        awaitReady(503);
        given().get("/q/health/live").then().statusCode(200);

        postgres.restart();
        long back = System.nanoTime();
        awaitReady(200);
        System.out.printf("readiness back %d ms after PostgreSQL restarted%n", (System.nanoTime() - back) / 1_000_000);
        await().atMost(WAIT).until(() -> given().auth().oauth2(token).get("/api/v1/transfers/rest-unknown").statusCode() == 404);
    }

    private static void awaitReady(int status) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> given().get("/q/health/ready").statusCode() == status);
    }
}
