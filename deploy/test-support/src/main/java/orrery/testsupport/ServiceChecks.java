package orrery.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import orrery.model.messaging.StreamSpec;
import orrery.model.messaging.Streams;

/** Checks every service's start-up test makes: health, OpenAPI, metrics, streams, and readiness that follows its dependencies. */
public final class ServiceChecks {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private ServiceChecks() {
    }

    /** {@code /q/health/ready} is UP and lists these checks as UP. */
    public static void readyWith(String... checks) {
        await("readiness UP").atMost(PATIENCE).untilAsserted(() -> {
            JsonPath health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
            assertThat(health.getString("status")).isEqualTo("UP");
            List<String> up = health.getList("checks.findAll { it.status == 'UP' }.name");
            for (String check : checks) {
                assertThat(up).as("UP readiness checks").anyMatch(name -> name.toLowerCase().contains(check.toLowerCase()));
            }
        });
    }

    /**
     * The OpenAPI document and health are open; Prometheus metrics are served to administrators
     * only (the test needs {@link JwtTestResource}).
     */
    public static void servesOpenApiAndMetrics(String expectedTitle) {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo(expectedTitle));
        given().get("/q/metrics").then().statusCode(401);
        given().auth().oauth2(JwtTestResource.token("somebody")).get("/q/metrics").then().statusCode(403);
        given().auth().oauth2(JwtTestResource.admin("root")).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** TASKS, EVENTS and DLQ exist with the subjects and retention of DESIGN.md. */
    public static void streamsAsDesigned(String natsUrl) throws Exception {
        try (Connection connection = Nats.connect(natsUrl)) {
            JetStreamManagement jsm = connection.jetStreamManagement();
            for (StreamSpec spec : Streams.ALL) {
                StreamConfiguration config = jsm.getStreamInfo(spec.name()).getConfiguration();
                assertThat(config.getSubjects()).as(spec.name() + " subjects").containsExactlyElementsOf(spec.subjects());
                RetentionPolicy expected = spec.retention() == StreamSpec.Retention.WORK_QUEUE
                        ? RetentionPolicy.WorkQueue : RetentionPolicy.Limits;
                assertThat(config.getRetentionPolicy()).as(spec.name() + " retention").isEqualTo(expected);
                assertThat(config.getMaxAge()).as(spec.name() + " max age").isEqualTo(spec.maxAge());
                assertThat(config.getDuplicateWindow()).as(spec.name() + " duplicate window").isEqualTo(spec.duplicateWindow());
            }
        }
    }

    /** Readiness goes DOWN (503, check {@code nats} DOWN) while NATS is away and UP again when it is back. */
    public static void readinessFollowsNats(NatsServer nats) {
        nats.kill();
        try {
            await("readiness DOWN without NATS").atMost(PATIENCE).untilAsserted(() ->
                    given().get("/q/health/ready").then().statusCode(503)
                            .body("checks.findAll { it.status == 'DOWN' }.name", hasItem("nats")));
        } finally {
            nats.restart();
        }
        readyWith("nats");
    }

    /** Readiness goes DOWN while PostgreSQL is stopped and UP again once it is back. */
    public static void readinessFollowsDatabase(PostgresServer postgres) {
        postgres.stop();
        try {
            await("readiness DOWN without PostgreSQL").atMost(PATIENCE).untilAsserted(() ->
                    given().get("/q/health/ready").then().statusCode(503)
                            .body("checks.findAll { it.status == 'DOWN' }.name",
                                    hasItem(containsString("Database"))));
        } finally {
            postgres.restart();
        }
        readyWith("Database");
    }
}
