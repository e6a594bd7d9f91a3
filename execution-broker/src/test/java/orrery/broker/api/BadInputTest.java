package orrery.broker.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.OpenApiFuzzer;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * The malformed and hostile offer requests that once got a 500 (issue 13), each as a named case:
 * every one is a 4xx problem+json that names what was wrong, and limits name the limit.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class BadInputTest {

    private static final String COMMAND = "{\"kind\": \"command\", \"cmd\": \"hostname\"}";

    private static RequestSpecification alice() {
        return given().auth().oauth2(JwtTestResource.token("alice")).contentType(ContentType.JSON);
    }

    private static void refused(String body, String expectedInDetail) {
        alice().body(body).post("/api/v1/offersets").then()
                .statusCode(lessThan(500)).statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400))
                .contentType("application/problem+json").body("detail", containsString(expectedInDetail));
    }

    private static String withExecutable(String executable) {
        return "{\"executable\": " + executable + "}";
    }

    private static String withSchedule(String requested) {
        return "{\"executable\": " + COMMAND + ", \"schedule\": {\"requested\": [" + requested + "]}}";
    }

    @Test
    void anEmptyBody() {
        alice().body("").post("/api/v1/offersets").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void nullsWhereAnObjectOrAnElementBelongs() {
        refused("{\"executable\": null}", "executable");
        refused(withExecutable("{\"kind\": null}"), "executable.kind");
        refused(withExecutable("{\"kind\": \"jupyter-notebook\", \"location\": {\"url\": null}}"), "executable.location.url");
        refused(withExecutable("{\"kind\": \"command\", \"cmd\": \"echo\", \"args\": [\"a\", null]}"), "executable.args[1]");
        refused("{\"executable\": " + COMMAND + ", \"resources\": {\"data\": [null]}}", "resources.data[0]");
        refused("{\"executable\": " + COMMAND + ", \"resources\": {\"data\": [{\"name\": \"x\", \"location\": null}]}}",
                "resources.data[0].location");
        refused("{\"executable\": " + COMMAND + ", \"resources\": {\"compute\": [null]}}", "resources.compute[0]");
        refused(withSchedule("null"), "schedule.requested[0]");
        refused(withExecutable("{\"kind\": \"command\", \"cmd\": \"echo\", \"env\": {\"A\": null}}"), "executable.env");
    }

    @Test
    void numbersTooLargeToBeMeant() {
        refused("{\"executable\": " + COMMAND + ", \"resources\": {\"compute\": [{\"cores\": {\"min\": 1, \"max\": 2000000000}}]}}",
                "at most");
        refused("{\"executable\": " + COMMAND + ", \"resources\": {\"compute\": [{\"cores\": {\"min\": 1, \"max\": 2},"
                + " \"memory\": {\"min\": 1, \"max\": 2000000000}}]}}", "at most");
    }

    @Test
    void durationsAndTimesOutOfRange() {
        refused(withSchedule("{\"duration\": {\"min\": \"P999999999999D\"}}"), "duration");
        refused(withSchedule("{\"duration\": {\"min\": \"PT9223372036854775807S\"}}"), "duration");
        refused(withSchedule("{\"duration\": {\"min\": \"P400D\"}}"), "at most");
        refused(withSchedule("{\"start\": \"+1000000000-12-31T23:59:59.999999999Z/PT1H\"}"), "ISO-8601");
        refused(withSchedule("{\"start\": \"9999-12-31T23:00:00Z/PT1H\"}"), "start");
    }

    @Test
    void controlCharactersAndHugeStrings() {
        refused("{\"name\": \"a\\u0000b\", \"executable\": " + COMMAND + "}", "name");
        refused("{\"name\": \"" + "n".repeat(10_000) + "\", \"executable\": " + COMMAND + "}", "name");
        refused(withExecutable("{\"kind\": \"command\", \"cmd\": \"" + "c".repeat(10_000) + "\"}"), "executable.cmd");
    }

    @Test
    void arraysTooLongToBeMeant() {
        String args = String.join(",", Collections.nCopies(5_000, "\"x\""));
        refused(withExecutable("{\"kind\": \"command\", \"cmd\": \"echo\", \"args\": [" + args + "]}"), "executable.args");
        String windows = String.join(",", Collections.nCopies(1_000, "{\"duration\": {\"min\": \"PT1H\"}}"));
        refused(withSchedule(windows), "schedule.requested");
        String items = String.join(",", List.of("{\"name\": \"a\", \"location\": {\"url\": \"https://h/a\"}}").stream()
                .flatMap(item -> Collections.nCopies(1_000, item).stream()).toList());
        refused("{\"executable\": " + COMMAND + ", \"resources\": {\"data\": [" + items + "]}}", "resources.data");
    }

    @Test
    void pagesBeyondAnyList() {
        alice().queryParam("page", Integer.MAX_VALUE).get("/api/v1/executions").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:orrery:problem:invalid-page"));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/api/v1/offersets")
    java.net.URI offersets;

    /** A client declares a body over the limit: the answer comes before it sends any of it. */
    @Test
    void aBodyOverTheLimitIsA413ProblemNotABareStatus() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(offersets.getHost(), offersets.getPort())) {
            socket.setSoTimeout(10_000);
            String head = "POST " + offersets.getPath() + " HTTP/1.1\r\nHost: " + offersets.getHost() + "\r\n"
                    + "Authorization: Bearer " + JwtTestResource.token("alice") + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (64L * 1024 * 1024) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = readAnswer(socket.getInputStream());
            org.assertj.core.api.Assertions.assertThat(answer).startsWith("HTTP/1.1 413")
                    .containsIgnoringCase("content-type: application/problem+json")
                    .contains("urn:orrery:problem:body-too-large").contains("at most");
        }
    }

    /** The status line, headers and a body of the Content-Length they give. */
    private static String readAnswer(java.io.InputStream in) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return text.toString();
            }
            text.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        if (length.find()) {
            text.append(new String(in.readNBytes(Integer.parseInt(length.group(1))), java.nio.charset.StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    @TestHTTPResource("/")
    URL fuzzRoot;

    /** Every operation of /q/openapi, broken on purpose (seeded, so a finding replays): no 5xx, every 4xx problem+json, no hang. */
    @Test
    void aSeededFuzzOfEveryOperationNeverGetsA5xxAndAlwaysProblemJson() throws Exception {
        OpenApiFuzzer.assertEveryOperationHoldsUp(fuzzRoot, 13, 10);
    }
}
