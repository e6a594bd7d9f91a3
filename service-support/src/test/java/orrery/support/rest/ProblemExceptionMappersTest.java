package orrery.support.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(NatsTestResource.class)
class ProblemExceptionMappersTest {

    @Test
    void anUnknownFieldIsA400NamingTheField() {
        given().contentType("application/json").body("{\"name\":\"x\",\"cores\":4,\"colour\":\"red\"}")
                .post("/test/echo")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:unknown-field"))
                .body("field", equalTo("colour"))
                .body("detail", containsString("allowed fields are cores, name, start"))
                .body("instance", equalTo("/test/echo"));
    }

    @Test
    void aMissingFieldIsA400NamingTheField() {
        given().contentType("application/json").body("{\"name\":\"x\"}")
                .post("/test/echo")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:missing-field"))
                .body("field", equalTo("cores"));
    }

    @Test
    void aValueOfTheWrongTypeIsA400() {
        given().contentType("application/json").body("{\"name\":\"x\",\"cores\":\"four\"}")
                .post("/test/echo")
                .then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:invalid-field"))
                .body("field", equalTo("cores"));
        given().contentType("application/json").body("{\"name\":\"x\",\"cores\":4,\"start\":\"tomorrow\"}")
                .post("/test/echo")
                .then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:invalid-field"))
                .body("field", equalTo("start"));
    }

    @Test
    void malformedJsonIsA400() {
        given().contentType("application/json").body("{\"name\": ")
                .post("/test/echo")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:malformed-json"));
    }

    @Test
    void aBadTimeIsA400ThatSaysWhatToWrite() {
        given().queryParam("at", "2024-08-30T09:45:00/PT1H").get("/test/echo/window")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:invalid-time"))
                .body("detail", containsString("add Z for UTC"));
    }

    @Test
    void aProblemExceptionKeepsItsTypeAndExtensions() {
        given().get("/test/echo/refuse")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:not-enough-capacity"))
                .body("largestFree", equalTo(12))
                .body("instance", equalTo("/test/echo/refuse"));
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        given().get("/test/nowhere").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:not-found"));
        given().delete("/test/echo").then().statusCode(405).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:method-not-allowed"));
        given().contentType("text/plain").body("hello").post("/test/echo").then().statusCode(415)
                .body("type", equalTo("urn:orrery:problem:unsupported-media-type"));
    }

    @Test
    void ourOwnBugIsA500WithAnIncidentButNoInternals() {
        given().get("/test/echo/bug")
                .then().statusCode(500).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:internal-error"))
                .body("incident", notNullValue())
                .body("detail", not(containsString("a bug of ours")));
    }

    @Test
    void natsNotAnsweringIsA503ToRetryNotOurBug() {
        given().get("/test/echo/nats-timeout")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "2")
                .body("type", equalTo("urn:orrery:problem:messaging-unavailable"))
                .body("incident", org.hamcrest.Matchers.nullValue())
                .body("detail", containsString("try again"));
    }
}
