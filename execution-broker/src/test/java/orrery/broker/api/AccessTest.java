package orrery.broker.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import orrery.support.rest.VerifiedTokens;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the broker without a token (401), with a token the broker must not believe
 * (401), with another user's token (404, or 403 where it is for administrators), and with the
 * owner's. One identity rule: {@code orrery.support.rest.Caller}.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class AccessTest {

    @Inject
    JWTCallerPrincipalFactory principals;

    private static final String OWNER = "alice@example.org";

    private String reservation;
    private String offerSet;
    private String offer;

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static RequestSpecification owner() {
        return as(JwtTestResource.token(OWNER));
    }

    private static RequestSpecification other() {
        return as(JwtTestResource.token("bob"));
    }

    private static Map<String, Object> offerRequest() {
        return Map.of("name", "access",
                "executable", Map.of("kind", "command", "cmd", "hostname"),
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 1, "max", 1)))),
                "schedule", Map.of("requested", List.of(Map.of("start", "2024-08-30T12:00:00Z/PT1H",
                        "duration", Map.of("min", "PT10M", "max", "PT10M")))));
    }

    @BeforeEach
    void ownersThings() {
        reservation = owner().body(Map.of("start_time", 1_725_100_000L, "end_time", 1_725_100_600L, "amount", 1))
                .post("/api/v1/pools/default/reservations").then().statusCode(201).extract().header("Location");
        JsonPath set = owner().body(offerRequest()).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("YES")).extract().jsonPath();
        offerSet = "/api/v1/offersets/" + set.getString("id");
        offer = "/api/v1/executions/" + set.getString("offers[0].id");
    }

    /** method, path, body (or null): every endpoint, each naming one of the owner's things. */
    private List<Object[]> endpoints() {
        return List.of(
                new Object[] {"GET", "/api/v1/pools", null},
                new Object[] {"GET", "/api/v1/pools/default", null},
                new Object[] {"PUT", "/api/v1/pools/access-test", Map.of("segments", List.of(
                        Map.of("start_time", 0, "end_time", 100, "capacity", 1)))},
                new Object[] {"GET", "/api/v1/pools/default/availability?start_time=0&end_time=10", null},
                new Object[] {"POST", "/api/v1/pools/default/reservations", Map.of("start_time", 1, "end_time", 2, "amount", 1)},
                new Object[] {"GET", reservation, null},
                new Object[] {"DELETE", reservation, null},
                new Object[] {"POST", "/api/v1/offersets", offerRequest()},
                new Object[] {"GET", offerSet, null},
                new Object[] {"GET", "/api/v1/executions", null},
                new Object[] {"GET", offer, null},
                new Object[] {"GET", offer + "/events", null},
                new Object[] {"GET", offer + "/history", null},
                new Object[] {"GET", "/api/v1/executions/events", null},
                new Object[] {"GET", "/api/v1/dashboard/clock", null},
                new Object[] {"POST", offer + "/accept", null},
                new Object[] {"POST", offer + "/reject", null},
                new Object[] {"POST", offer + "/cancel", null},
                new Object[] {"POST", "/ivoa/offersets", Map.of()},
                new Object[] {"GET", "/ivoa/offersets/" + offerSet.substring(offerSet.lastIndexOf('/') + 1), null},
                new Object[] {"GET", "/ivoa/sessions/" + offer.substring(offer.lastIndexOf('/') + 1), null});
    }

    private static io.restassured.response.Response call(RequestSpecification spec, Object[] endpoint) {
        if (endpoint[2] != null) {
            spec = spec.body(endpoint[2]);
        }
        return spec.request((String) endpoint[0], (String) endpoint[1]);
    }

    @Test
    void everyEndpointRefusesACallerWithoutAToken() {
        for (Object[] endpoint : endpoints()) {
            call(given().contentType(ContentType.JSON), endpoint).then()
                    .statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void everyEndpointRefusesATokenItMustNotBelieve() {
        List<String> unbelievable = List.of(
                JwtTestResource.forged(OWNER),
                JwtTestResource.tokenFor(JwtTestResource.ISSUER, "another-audience", OWNER),
                JwtTestResource.tokenFor("https://elsewhere.example/issuer", JwtTestResource.AUDIENCE, OWNER),
                "not.a.jwt");
        for (String token : unbelievable) {
            for (Object[] endpoint : endpoints()) {
                call(as(token), endpoint).then().statusCode(401).contentType("application/problem+json");
            }
        }
    }

    @Test
    void aTokenThatWorkedIsStillVerifiedWhenItsSignatureIsChanged() {
        assertThat(principals).isInstanceOf(VerifiedTokens.class); // the remembering verifier is the one in use
        String token = JwtTestResource.token(OWNER);
        as(token).get(reservation).then().statusCode(200);
        as(token).get(reservation).then().statusCode(200); // taken again from memory
        int last = token.length() - 2; // inside the signature, clear of base64url's padding bits
        String tampered = token.substring(0, last) + (token.charAt(last) == 'A' ? 'B' : 'A') + token.charAt(last + 1);
        as(tampered).get(reservation).then().statusCode(401).contentType("application/problem+json");
        String claimsChanged = token.replaceFirst("\\.([^.]+)\\.", "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"iss\":\"" + JwtTestResource.ISSUER + "\",\"aud\":\"" + JwtTestResource.AUDIENCE
                        + "\",\"upn\":\"mallory\",\"exp\":4102444800}").getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".");
        as(claimsChanged).get(reservation).then().statusCode(401);
    }

    @Test
    void anotherUserSeesNoneOfTheOwnersThings() {
        other().get(reservation).then().statusCode(404).contentType("application/problem+json");
        other().delete(reservation).then().statusCode(404);
        other().get(offerSet).then().statusCode(404);
        other().get(offer).then().statusCode(404);
        other().get(offer + "/events").then().statusCode(404);
        other().get(offer + "/history").then().statusCode(404);
        other().post(offer + "/accept").then().statusCode(404);
        other().post(offer + "/reject").then().statusCode(404);
        other().post(offer + "/cancel").then().statusCode(404);
        other().get("/api/v1/executions").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(offer.substring(offer.lastIndexOf('/') + 1))));
        given().accept("application/json").auth().oauth2(JwtTestResource.token("bob"))
                .get("/ivoa/sessions/" + offer.substring(offer.lastIndexOf('/') + 1)).then().statusCode(404);
        other().body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 100, "capacity", 1))))
                .put("/api/v1/pools/access-test").then().statusCode(403).contentType("application/problem+json");
        // the owner's things are untouched
        owner().get(reservation).then().statusCode(200).body("state", equalTo("FIRM"));
        owner().get(offer).then().statusCode(200).body("phase", equalTo("OFFERED"));
    }

    @Test
    void theOwnerWithAnEmailLikeNameUsesEverything() {
        owner().get("/api/v1/pools").then().statusCode(200);
        owner().get(reservation).then().statusCode(200).body("user_id", equalTo(OWNER));
        owner().get(offerSet).then().statusCode(200);
        owner().post(offer + "/accept").then().statusCode(200).body("phase", equalTo("ACCEPTED"));
        owner().get("/api/v1/executions").then().statusCode(200).body("items.id", org.hamcrest.Matchers.hasItem(
                offer.substring(offer.lastIndexOf('/') + 1)));
        owner().post(offer + "/cancel").then().statusCode(200).body("phase", equalTo("CANCELLED"));
        owner().delete(reservation).then().statusCode(204);
    }

    @Test
    void anAdministratorDefinesPoolsAndReleasesAnyonesReservation() {
        as(JwtTestResource.admin("root")).body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 100, "capacity", 1))))
                .put("/api/v1/pools/access-test").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        as(JwtTestResource.admin("root")).get(reservation).then().statusCode(200).body("user_id", equalTo(OWNER));
        as(JwtTestResource.admin("root")).delete(reservation).then().statusCode(204);
        owner().get(reservation).then().statusCode(200).body("state", equalTo("RELEASED"));
    }

    @Test
    void aTokenWhoseUserNameBreaksTheRuleIsRefusedAtTheDoor() {
        as(JwtTestResource.token("../etc")).get("/api/v1/executions").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("urn:orrery:problem:invalid-user-name"))
                .body("detail", containsString("letter or digit"));
        as(JwtTestResource.token("carol smith")).body(offerRequest()).post("/api/v1/offersets").then().statusCode(401);
    }

    @Test
    void healthAndOpenApiAreOpenMetricsAreForAdministrators() {
        // Open to anyone; UP once this shared application is back from the restarts other tests make.
        await("readiness UP without a token").atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().accept("application/json").get("/q/openapi").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(401);
        given().auth().oauth2(JwtTestResource.token("bob")).get("/q/metrics").then().statusCode(403);
        given().auth().oauth2(JwtTestResource.admin("root")).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_"));
    }
}
