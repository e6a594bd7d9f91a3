package orrery.broker.api.ivoa;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import orrery.broker.service.OfferExpiry;
import orrery.model.time.ManualTimeSource;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * What the public peer (uksrc/Calycopis-broker, measured) gets wrong and this broker gets right, each
 * on /ivoa with the Calycopis 1.0.7 request shape: a start inside the requested interval (the peer
 * reads {@code 09:48/PT5M} as "after 09:48"), capacity honoured (its pool is unlimited), offers that
 * expire (its never do), a rejection that persists, and another caller's offers and sessions
 * hidden (it shows anyone anything). That state outlives a restart is proven with a real broker
 * restart in the end-to-end tests (BookingIT).
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class IvoaBetterThanThePeerTest {

    private static final String KINDS = "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds";

    @Inject
    ManualTimeSource time;
    @Inject
    OfferExpiry expiry;

    private static RequestSpecification as(String user, String... groups) {
        return given().config(RestAssuredConfig.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)))
                .auth().oauth2(JwtTestResource.token(user, groups)).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** A 1.0.7 request: a docker container, {@code cores} cores, one hour, starting in {@code start}. */
    private static Map<String, Object> request(String start, int cores, String pool) {
        return Map.of(
                "executable", Map.of("kind", KINDS + "/executable/docker-container.yaml",
                        "image", Map.of("locations", List.of("images.canfar.net/skaha/terminal:1.1.2"))),
                "compute", Map.of("kind", KINDS + "/compute/simple-compute-resource.yaml",
                        "cores", Map.of("min", cores, "max", cores)),
                "schedule", Map.of("requested", Map.of("start", start, "duration", "PT1H")),
                "pool", pool);
    }

    /** A pool of these tests' own, so that what other test classes hold on the default pool cannot take its room. */
    @org.junit.jupiter.api.BeforeEach
    void ownPool() {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 4102444800L, "capacity", 64))))
                .put("/api/v1/pools/peer").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    private JsonPath offers(String user, Map<String, Object> request) {
        return as(user).body(request).post("/ivoa/offersets").then().statusCode(303).extract().jsonPath();
    }

    @Test
    void everyOfferStartsInsideTheRequestedInterval() {
        Instant from = time.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(48));

        JsonPath set = offers("una", request(from + "/PT5M", 1, "peer"));

        assertThat(set.getString("result")).as(set.prettify()).isEqualTo("YES");
        List<String> starts = set.getList("offers.schedule.executing.start", String.class);
        assertThat(starts).isNotEmpty().allSatisfy(start -> assertThat(Instant.parse(start))
                .isBetween(from, from.plus(Duration.ofMinutes(5))));
    }

    @Test
    void capacityIsHonouredSoASecondAskForTheSameCoresGetsNo() {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 4102444800L, "capacity", 2))))
                .put("/api/v1/pools/ivoa-small").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String exactly = time.now().plus(Duration.ofHours(5)).truncatedTo(ChronoUnit.HOURS) + "/PT0S";

        assertThat(offers("vic", request(exactly, 2, "ivoa-small")).getString("result")).isEqualTo("YES");
        JsonPath second = offers("wes", request(exactly, 2, "ivoa-small"));

        assertThat(second.getString("result")).isEqualTo("NO");
        assertThat(second.getList("messages.template", String.class)).anySatisfy(m -> assertThat(m).contains("cores free"));
    }

    @Test
    void offersExpireAndARejectionPersists() {
        JsonPath set = offers("xan", request(time.now().plus(Duration.ofHours(2)) + "/PT1H", 1, "peer"));
        String rejected = set.getString("offers[0].uuid");
        String left = set.getString("offers[1].uuid");

        as("xan").body(Map.of("kind", "uri:enum-value-update", "path", "/phase", "value", "REJECTED"))
                .post("/ivoa/sessions/" + rejected).then().statusCode(200).body("phase", equalTo("REJECTED"));
        as("xan").body(Map.of("kind", "uri:enum-value-update", "path", "/phase", "value", "ACCEPTED"))
                .post("/ivoa/sessions/" + rejected).then().statusCode(409);
        as("xan").get("/ivoa/sessions/" + rejected).then().statusCode(200).body("phase", equalTo("REJECTED"));

        time.advance(Duration.ofMinutes(11));
        expiry.sweep().await().atMost(Duration.ofSeconds(10));
        as("xan").get("/ivoa/sessions/" + left).then().statusCode(200).body("phase", equalTo("EXPIRED"));
        as("xan").get("/ivoa/sessions/" + rejected).then().body("phase", equalTo("REJECTED"));
        as("xan").body(Map.of("kind", "uri:enum-value-update", "path", "/phase", "value", "ACCEPTED"))
                .post("/ivoa/sessions/" + left).then().statusCode(409).body("type", containsString("offer-expired"));
    }

    @Test
    void anotherCallerSeesNeitherTheOfferSetNorItsSessions() {
        JsonPath set = offers("yul", request(time.now().plus(Duration.ofHours(2)) + "/PT1H", 1, "peer"));

        as("zed").get("/ivoa/offersets/" + set.getString("uuid")).then().statusCode(404);
        as("zed").get("/ivoa/sessions/" + set.getString("offers[0].uuid")).then().statusCode(404);
        as("zed").body(Map.of("kind", "uri:enum-value-update", "path", "/phase", "value", "ACCEPTED"))
                .post("/ivoa/sessions/" + set.getString("offers[0].uuid")).then().statusCode(404);
        as("yul").get("/ivoa/offersets/" + set.getString("uuid")).then().statusCode(200)
                .body("offers.uuid", hasItem(set.getString("offers[0].uuid")));
    }
}
