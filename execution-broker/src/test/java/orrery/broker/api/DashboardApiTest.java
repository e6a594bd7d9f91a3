package orrery.broker.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard asks of the broker: its settings, the development login (whose tokens the
 * broker's own token check accepts), the clock, and an execution's history.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class DashboardApiTest {

    @Test
    void theStaticDashboardAndItsSettingsNeedNoToken() {
        given().get("/ui/").then().statusCode(200).contentType(containsString("text/html")).body(containsString("js/app.js"));
        given().get("/ui/js/app.js").then().statusCode(200);
        given().get("/api/v1/dashboard/config").then().statusCode(200)
                .body("devLogin", equalTo(true)).body("simulated", equalTo(false));
    }

    @Test
    void aDevelopmentLoginTokenIsBelievedAndNamesItsUser() {
        String token = given().contentType(ContentType.JSON).body(Map.of("user", "dora"))
                .post("/api/v1/dashboard/dev-login").then().statusCode(200)
                .body("user", equalTo("dora")).body("admin", equalTo(false)).extract().path("token");
        given().auth().oauth2(token).get("/api/v1/executions").then().statusCode(200);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 100, "capacity", 1))))
                .put("/api/v1/pools/dashboard-test").then().statusCode(403);

        String admin = given().contentType(ContentType.JSON).body(Map.of("user", "root", "admin", true))
                .post("/api/v1/dashboard/dev-login").then().statusCode(200).extract().path("token");
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 100, "capacity", 1))))
                .put("/api/v1/pools/dashboard-test").then().statusCode(201);
    }

    @Test
    void aDevelopmentLoginRefusesWhatIsNotAUserName() {
        for (Object user : new Object[] {"../etc", "", "a b"}) {
            given().contentType(ContentType.JSON).body(Map.of("user", user)).post("/api/v1/dashboard/dev-login")
                    .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("user"));
        }
        given().contentType(ContentType.JSON).body("{\"user\": \"ada\", \"groups\": [\"admin\"]}").post("/api/v1/dashboard/dev-login")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).post("/api/v1/dashboard/dev-login")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aDevelopmentLoginRefusesAnotherSitesPageAndARebindingName() {
        // another site's page: the CORS filter refuses it before the resource runs (and the resource would too)
        given().contentType(ContentType.JSON).header("Origin", "http://evil.example").body(Map.of("user", "x", "admin", true))
                .post("/api/v1/dashboard/dev-login").then().statusCode(403).body(not(containsString("token")));
        // a page whose own name was rebound to 127.0.0.1 is same-origin to itself and sends its own name
        given().contentType(ContentType.JSON).header("Host", "rebound.evil.example:8080").body(Map.of("user", "x", "admin", true))
                .post("/api/v1/dashboard/dev-login").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:dev-login-local-only"));
        given().contentType(ContentType.JSON).header("Origin", "http://localhost:8080").body(Map.of("user", "x"))
                .post("/api/v1/dashboard/dev-login").then().statusCode(200);
    }

    @Test
    void theClockNeedsATokenAndTellsTheSuitesTime() {
        given().get("/api/v1/dashboard/clock").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(JwtTestResource.token("ada")).get("/api/v1/dashboard/clock").then().statusCode(200)
                .body("simulated", equalTo(false)).body("now", containsString("T"));
    }

    @Test
    void anExecutionsHistoryIsItsOwnersInLamportOrder() {
        String owner = JwtTestResource.token("hist");
        JsonPath set = given().auth().oauth2(owner).contentType(ContentType.JSON).body(Map.of(
                        "executable", Map.of("kind", "command", "cmd", "hostname"),
                        "schedule", Map.of("requested", List.of(Map.of("duration", Map.of("min", "PT10M", "max", "PT10M"))))))
                .post("/api/v1/offersets").then().statusCode(201).extract().jsonPath();
        String id = set.getString("offers[0].id");
        given().auth().oauth2(owner).post("/api/v1/executions/" + id + "/accept").then().statusCode(200);

        List<Map<String, Object>> history = given().auth().oauth2(owner).get("/api/v1/executions/" + id + "/history")
                .then().statusCode(200).body("phase", hasItem("ACCEPTED")).extract().jsonPath().getList("$");
        List<Long> lamports = history.stream().map(change -> ((Number) change.get("lamport")).longValue()).toList();
        assertThat(lamports).isSorted().doesNotHaveDuplicates();
        given().auth().oauth2(JwtTestResource.token("other")).get("/api/v1/executions/" + id + "/history")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(JwtTestResource.token("other")).get("/api/v1/executions")
                .then().statusCode(200).body("items.id", not(hasItem(id)));
        given().auth().oauth2(JwtTestResource.token("other")).get("/api/v1/executions?user=hist")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(JwtTestResource.admin("root")).get("/api/v1/executions?user=hist")
                .then().statusCode(200).body("items.id", hasItem(id));
        given().auth().oauth2(JwtTestResource.admin("root")).get("/api/v1/executions/" + id + "/history")
                .then().statusCode(200).body("phase", hasItem("ACCEPTED"));
        given().auth().oauth2(JwtTestResource.admin("root")).get("/api/v1/executions/" + id)
                .then().statusCode(200).body("id", equalTo(id));
        given().auth().oauth2(JwtTestResource.admin("root")).get("/api/v1/executions?user=../x")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("user"));
    }
}
