package orrery.staging.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import orrery.staging.StagingTestResource;
import orrery.testsupport.FileServer;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** The REST API a person uses: transfers and quotes, and how it refuses bad input. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(StagingTestResource.class)
class StagingApiTest {

    private final FileServer server = StagingTestResource.server();

    @Test
    void aTransferIsAcceptedAndCanBeFollowed() throws Exception {
        byte[] data = serve("rest.dat", 70_000);
        String execution = execution();

        Response accepted = given().header("X-Orrery-User", "carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "rest.dat", "url", server.url("/files/rest.dat"),
                        "checks", Map.of("size", data.length, "md5", md5(data)))))
                .post("/api/v1/transfers");

        accepted.then().statusCode(202).header("Location", containsString("/api/v1/transfers/"))
                .body("state", equalTo("RUNNING"));
        String location = accepted.header("Location");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().header("X-Orrery-User", "carol").get(location).then().statusCode(200)
                        .body("state", equalTo("COMPLETED"))
                        .body("md5", equalTo(md5(data)))
                        .body("sha256", notNullValue())
                        .body("bytesDone", equalTo(data.length))
                        .body("path", equalTo("home/carol/broker/" + execution + "/rest.dat")));
        given().header("X-Orrery-User", "mallory").get(location).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void refusesBadTransferRequests() {
        String execution = execution();
        given().contentType(ContentType.JSON).body(Map.of("executionId", execution, "item", Map.of("name", "a", "url", "x")))
                .post("/api/v1/transfers").then().statusCode(401).body("type", equalTo("urn:orrery:problem:unauthenticated"));
        given().header("X-Orrery-User", "carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "../../etc/passwd", "url", server.url("/files/x"))))
                .post("/api/v1/transfers").then().statusCode(400).body("type", equalTo("urn:orrery:problem:invalid-path"));
        given().header("X-Orrery-User", "carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "a", "url", "https://evil.example.com/a")))
                .post("/api/v1/transfers").then().statusCode(400).body("type", equalTo("urn:orrery:problem:disallowed-source"));
        given().header("X-Orrery-User", "carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "a", "url", server.url("/files/a"), "colour", "red")))
                .post("/api/v1/transfers").then().statusCode(400).body("field", equalTo("item.colour"));
        given().header("X-Orrery-User", "carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "a", "url", server.url("/files/a"),
                        "checks", Map.of("md5", "not-a-digest"))))
                .post("/api/v1/transfers").then().statusCode(400).body("detail", containsString("32 hexadecimal digits"));
        given().header("X-Orrery-User", "carol").get("/api/v1/transfers/nope").then().statusCode(404);
    }

    @Test
    void quotesPresentAbsentAndImpossibleItems() throws Exception {
        String execution = execution();
        byte[] present = serve("q-present.dat", 1000);
        var folder = StagingTestResource.storage().resolve("home/dave/broker/" + execution);
        Files.createDirectories(folder);
        Files.write(folder.resolve("present.dat"), present);
        Files.writeString(folder.resolve("different.dat"), "not the same");

        Response quote = given().header("X-Orrery-User", "dave").contentType(ContentType.JSON)
                .body(Map.of("user", "dave", "executionId", execution, "items", java.util.List.of(
                        Map.of("name", "present.dat", "url", server.url("/files/q-present.dat"),
                                "checks", Map.of("size", present.length, "md5", md5(present))),
                        // "localhost": a host no other test measured, so the default rate applies
                        Map.of("name", "big.dat", "url", server.url("/files/big.dat").replace("127.0.0.1", "localhost"),
                                "checks", Map.of("size", 40_000_000)),
                        Map.of("name", "unknown.dat", "url", server.url("/files/unknown.dat")),
                        Map.of("name", "different.dat", "url", server.url("/files/d"), "checks", Map.of("size", 5)),
                        Map.of("name", "far.dat", "url", "https://evil.example.com/far.dat"))))
                .post("/api/v1/quotes");

        quote.then().statusCode(200)
                .body("feasible", equalTo(false))
                .body("items[0].present", equalTo(true))
                .body("items[0].cost", equalTo("PT1M"))
                .body("items[1].present", equalTo(false))
                .body("items[1].cost", equalTo("PT7S"))
                .body("items[1].reason", containsString("default rate"))
                .body("items[2].cost", equalTo("PT1H"))
                .body("items[3].error", containsString("already there"))
                .body("items[4].error", containsString("allow-list"))
                .body("sequential", equalTo("PT1H1M7S"))
                .body("parallel", equalTo("PT1H"));
        given().header("X-Orrery-User", "mallory").contentType(ContentType.JSON)
                .body(Map.of("user", "dave", "executionId", execution, "items", java.util.List.of()))
                .post("/api/v1/quotes").then().statusCode(403).body("type", equalTo("urn:orrery:problem:forbidden"));
    }

    @Test
    void quotesOneItemFromTheQuery() throws Exception {
        String execution = execution();
        byte[] present = serve("q-one.dat", 1000);
        var folder = StagingTestResource.storage().resolve("home/fay/broker/" + execution);
        Files.createDirectories(folder);
        Files.write(folder.resolve("q-one.dat"), present);

        given().header("X-Orrery-User", "fay").queryParam("executionId", execution)
                .queryParam("url", server.url("/files/q-one.dat")).queryParam("size", present.length).queryParam("md5", md5(present))
                .get("/api/v1/quotes").then().statusCode(200)
                .body("items[0].name", equalTo("q-one.dat"))
                .body("items[0].present", equalTo(true))
                .body("feasible", equalTo(true));
        given().header("X-Orrery-User", "fay").queryParam("executionId", execution).queryParam("name", "other.dat")
                .queryParam("url", server.url("/files/q-one.dat")).get("/api/v1/quotes").then().statusCode(200)
                .body("items[0].name", equalTo("other.dat")).body("items[0].present", equalTo(false));

        given().header("X-Orrery-User", "fay").queryParam("url", server.url("/files/q-one.dat")).get("/api/v1/quotes")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("executionId"));
        given().header("X-Orrery-User", "fay").queryParam("executionId", execution).queryParam("url", server.url("/files/q-one.dat"))
                .queryParam("size", "big").get("/api/v1/quotes").then().statusCode(400).body("field", equalTo("size"));
        given().header("X-Orrery-User", "fay").queryParam("executionId", execution).queryParam("url", server.url("/files/q-one.dat"))
                .queryParam("md5", "abc").get("/api/v1/quotes").then().statusCode(400).body("field", equalTo("md5"));
        given().header("X-Orrery-User", "fay").queryParam("executionId", execution).queryParam("url", server.url("/files/"))
                .get("/api/v1/quotes").then().statusCode(400).body("field", equalTo("name"));
        given().header("X-Orrery-User", "fay").queryParam("executionId", execution).queryParam("name", "../x")
                .queryParam("url", server.url("/files/q-one.dat")).get("/api/v1/quotes").then().statusCode(200)
                .body("feasible", equalTo(false)).body("items[0].error", containsString(".."));
        given().queryParam("executionId", execution).queryParam("url", server.url("/files/q-one.dat")).get("/api/v1/quotes")
                .then().statusCode(401);
    }

    @Test
    void aMeasuredTransferRateFeedsLaterQuotes() throws Exception {
        byte[] data = serve("rate.dat", 2_000_000);
        String execution = execution();
        String location = given().header("X-Orrery-User", "erin").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "rate.dat", "url", server.url("/files/rate.dat"))))
                .post("/api/v1/transfers").then().statusCode(202).extract().header("Location");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("X-Orrery-User", "erin").get(location)
                .then().body("state", equalTo("COMPLETED")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("X-Orrery-User", "erin").contentType(ContentType.JSON)
                        .body(Map.of("user", "erin", "executionId", execution(), "items", java.util.List.of(
                                Map.of("name", "next.dat", "url", server.url("/files/next.dat"), "checks", Map.of("size", 1_000_000)))))
                        .post("/api/v1/quotes").then().statusCode(200)
                        .body("items[0].reason", containsString("measured from 127.0.0.1")));
    }

    private byte[] serve(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(name.hashCode()).nextBytes(data);
        Files.write(server.root().resolve(name), data);
        return data;
    }

    private static String execution() {
        return "exec-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

}
