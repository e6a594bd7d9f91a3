package orrery.staging.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import orrery.staging.StagingTestResource;
import orrery.testsupport.FileServer;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.OpenApiFuzzer;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** The REST API a person uses: transfers and quotes, who may call it, and how it refuses bad input. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(StagingTestResource.class)
@WithTestResource(JwtTestResource.class)
class StagingApiTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final FileServer server = StagingTestResource.server();

    private static RequestSpecification as(String user) {
        return given().auth().oauth2(JwtTestResource.token(user));
    }

    @Test
    void aTransferIsAcceptedAndCanBeFollowed() throws Exception {
        byte[] data = serve("rest.dat", 70_000);
        String execution = execution();

        Response accepted = as("carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "rest.dat", "url", server.url("/files/rest.dat"),
                        "checks", Map.of("size", data.length, "md5", md5(data)))))
                .post("/api/v1/transfers");

        accepted.then().statusCode(202).header("Location", containsString("/api/v1/transfers/rest-"))
                .body("state", equalTo("RUNNING")).body("id", startsWith("rest-")).body("user", equalTo("carol"));
        String location = accepted.header("Location");
        await().atMost(PATIENCE).untilAsserted(() ->
                as("carol").get(location).then().statusCode(200)
                        .body("state", equalTo("COMPLETED"))
                        .body("md5", equalTo(md5(data)))
                        .body("sha256", notNullValue())
                        .body("bytesDone", equalTo(data.length))
                        .body("path", equalTo("home/carol/broker/" + execution + "/rest.dat")));
        as("mallory").get(location).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:not-found"));
        given().auth().oauth2(JwtTestResource.admin("root")).get(location).then().statusCode(200)
                .body("user", equalTo("carol"));
    }

    /** A call of one endpoint, and what it answers alice, a valid caller. */
    private record Endpoint(String name, Function<RequestSpecification, Response> call, int forAlice) {
    }

    private List<Endpoint> endpoints() {
        String execution = execution();
        String url = server.url("/files/anything.dat");
        return List.of(
                new Endpoint("POST /api/v1/transfers", spec -> spec.contentType(ContentType.JSON)
                        .body(Map.of("executionId", execution, "item", Map.of("name", "a.dat", "url", url)))
                        .post("/api/v1/transfers"), 202),
                new Endpoint("GET /api/v1/transfers/{id}",
                        spec -> spec.get("/api/v1/transfers/rest-0123456789abcdef0123456789abcdef"), 404),
                new Endpoint("POST /api/v1/quotes", spec -> spec.contentType(ContentType.JSON)
                        .body(Map.of("user", "alice", "executionId", execution, "items", List.of()))
                        .post("/api/v1/quotes"), 200),
                new Endpoint("GET /api/v1/quotes",
                        spec -> spec.queryParam("executionId", execution).queryParam("url", url).get("/api/v1/quotes"), 200));
    }

    @Test
    void everyEndpointWantsAValidBearerToken() {
        Map<String, Supplier<RequestSpecification>> invalid = Map.of(
                "no token", () -> given(),
                "a forged token", () -> given().auth().oauth2(JwtTestResource.forged("alice")),
                "a wrong audience", () -> given().auth().oauth2(
                        JwtTestResource.tokenFor(JwtTestResource.ISSUER, "someone-else", "alice")),
                "a wrong issuer", () -> given().auth().oauth2(
                        JwtTestResource.tokenFor("https://evil.example.com/issuer", JwtTestResource.AUDIENCE, "alice")),
                "not a JWT", () -> given().auth().oauth2("not-a-jwt"),
                "headers naming the user", () -> given().header("X-Forwarded-User", "alice").header("Remote-User", "alice"));
        for (Endpoint endpoint : endpoints()) {
            invalid.forEach((how, caller) -> {
                Response answer = endpoint.call().apply(caller.get());
                assertThat(answer.statusCode()).as("%s with %s", endpoint.name(), how).isEqualTo(401);
                answer.then().contentType("application/problem+json")
                        .body("type", equalTo("urn:orrery:problem:unauthenticated"))
                        .body("detail", containsString("bearer token"));
            });
            endpoint.call().apply(given().auth().oauth2(JwtTestResource.token("not a name!"))).then()
                    .statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo("urn:orrery:problem:invalid-user-name"));
            assertThat(endpoint.call().apply(as("alice")).statusCode()).as("%s with alice's token", endpoint.name())
                    .isEqualTo(endpoint.forAlice());
        }
    }

    @Test
    void metricsAreForAdministrators() {
        given().get("/q/metrics").then().statusCode(401);
        as("alice").get("/q/metrics").then().statusCode(403);
        given().auth().oauth2(JwtTestResource.admin("root")).get("/q/metrics").then().statusCode(200);
    }

    @Test
    void anotherUsersTokenReachesNothingOfTheirs() throws Exception {
        byte[] data = serve("mine.dat", 5_000);
        String execution = execution();
        String location = as("gina").contentType(ContentType.JSON)
                .body(Map.of("taskId", "shared-1", "executionId", execution,
                        "item", Map.of("name", "mine.dat", "url", server.url("/files/mine.dat"))))
                .post("/api/v1/transfers").then().statusCode(202).extract().header("Location");
        await().atMost(PATIENCE).untilAsserted(() -> as("gina").get(location).then().body("state", equalTo("COMPLETED")));

        // Reading another user's transfer: 404, as if it did not exist.
        as("hank").get(location).then().statusCode(404).contentType("application/problem+json");
        // Quoting into another user's folder: 403, it is about the caller's own folder.
        as("hank").contentType(ContentType.JSON)
                .body(Map.of("user", "gina", "executionId", execution, "items", List.of()))
                .post("/api/v1/quotes").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:forbidden")).body("detail", containsString("hank"));
        // The one-item quote is always into the caller's own folder: gina's file is not hank's.
        as("hank").queryParam("executionId", execution).queryParam("url", server.url("/files/mine.dat"))
                .queryParam("size", data.length).queryParam("md5", md5(data))
                .get("/api/v1/quotes").then().statusCode(200).body("items[0].present", equalTo(false));
        as("gina").queryParam("executionId", execution).queryParam("url", server.url("/files/mine.dat"))
                .queryParam("size", data.length).queryParam("md5", md5(data))
                .get("/api/v1/quotes").then().statusCode(200).body("items[0].present", equalTo(true));
        // The same taskId from another caller is another transfer, into that caller's folder.
        Response hanks = as("hank").contentType(ContentType.JSON)
                .body(Map.of("taskId", "shared-1", "executionId", execution,
                        "item", Map.of("name", "mine.dat", "url", server.url("/files/mine.dat"))))
                .post("/api/v1/transfers");
        hanks.then().statusCode(202).body("clientTaskId", equalTo("shared-1")).body("user", equalTo("hank"));
        assertThat(hanks.header("Location")).isNotEqualTo(location);
        as("gina").get(location).then().statusCode(200).body("user", equalTo("gina")).body("state", equalTo("COMPLETED"));
    }

    @Test
    void aCallersTaskIdIsNamespacedAndOnlyRepeatsTheSameTransfer() throws Exception {
        serve("idem.dat", 2_000);
        String execution = execution();
        Map<String, Object> body = Map.of("taskId", "eb-exec-1-stage-0", "executionId", execution,
                "item", Map.of("name", "idem.dat", "url", server.url("/files/idem.dat")));

        Response first = as("ivy").contentType(ContentType.JSON).body(body).post("/api/v1/transfers");
        first.then().statusCode(202).body("clientTaskId", equalTo("eb-exec-1-stage-0"));
        String id = first.path("id");
        assertThat(id).as("a broker-like id is not taken as it is").startsWith("rest-").isNotEqualTo("eb-exec-1-stage-0");

        // A retry with the same content is the same transfer.
        as("ivy").contentType(ContentType.JSON).body(body).post("/api/v1/transfers").then().statusCode(202)
                .body("id", equalTo(id));
        // The same taskId for something else is refused, not answered with the stored transfer.
        as("ivy").contentType(ContentType.JSON)
                .body(Map.of("taskId", "eb-exec-1-stage-0", "executionId", execution,
                        "item", Map.of("name", "other.dat", "url", server.url("/files/idem.dat"))))
                .post("/api/v1/transfers").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:conflict"))
                .body("detail", containsString("taskId 'eb-exec-1-stage-0'"))
                .body("detail", containsString("item.name"));
        await().atMost(PATIENCE).untilAsserted(() -> as("ivy").get("/api/v1/transfers/" + id).then()
                .body("name", equalTo("idem.dat")).body("state", equalTo("COMPLETED")));
        // Without a taskId, each request is a transfer of its own.
        String a = as("ivy").contentType(ContentType.JSON).body(Map.of("executionId", execution(),
                "item", Map.of("name", "idem.dat", "url", server.url("/files/idem.dat")))).post("/api/v1/transfers").path("id");
        String b = as("ivy").contentType(ContentType.JSON).body(Map.of("executionId", execution(),
                "item", Map.of("name", "idem.dat", "url", server.url("/files/idem.dat")))).post("/api/v1/transfers").path("id");
        assertThat(a).startsWith("rest-").isNotEqualTo(b);
    }

    @Test
    void anEmailLikeUserStagesIntoTheirFolderEndToEnd() throws Exception {
        String user = "alice@example.org";
        byte[] data = serve("mail.dat", 30_000);
        String execution = execution();

        String location = as(user).contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "in/mail.dat", "url", server.url("/files/mail.dat"),
                        "checks", Map.of("size", data.length, "md5", md5(data)))))
                .post("/api/v1/transfers").then().statusCode(202).body("user", equalTo(user)).extract().header("Location");

        await().atMost(PATIENCE).untilAsserted(() -> as(user).get(location).then().statusCode(200)
                .body("state", equalTo("COMPLETED"))
                .body("path", equalTo("home/alice@example.org/broker/" + execution + "/in/mail.dat")));
        assertThat(Files.readAllBytes(StagingTestResource.storage()
                .resolve("home").resolve(user).resolve("broker").resolve(execution).resolve("in/mail.dat"))).isEqualTo(data);
        as(user).queryParam("executionId", execution).queryParam("name", "in/mail.dat").queryParam("url", server.url("/files/mail.dat"))
                .queryParam("size", data.length).queryParam("md5", md5(data)).get("/api/v1/quotes").then().statusCode(200)
                .body("items[0].present", equalTo(true)).body("feasible", equalTo(true));
        as(user).contentType(ContentType.JSON)
                .body(Map.of("user", user, "executionId", execution, "items", List.of(Map.of("name", "in/mail.dat",
                        "url", server.url("/files/mail.dat"), "checks", Map.of("size", data.length, "md5", md5(data))))))
                .post("/api/v1/quotes").then().statusCode(200).body("items[0].present", equalTo(true));
        as("alice").get(location).then().statusCode(404);
    }

    @Test
    void refusesBadTransferRequests() {
        String execution = execution();
        as("carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "../../etc/passwd", "url", server.url("/files/x"))))
                .post("/api/v1/transfers").then().statusCode(400).body("type", equalTo("urn:orrery:problem:invalid-path"));
        as("carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "a", "url", "https://evil.example.com/a")))
                .post("/api/v1/transfers").then().statusCode(400).body("type", equalTo("urn:orrery:problem:disallowed-source"));
        as("carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "a", "url", server.url("/files/a"), "colour", "red")))
                .post("/api/v1/transfers").then().statusCode(400).body("field", equalTo("item.colour"));
        as("carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "a", "url", server.url("/files/a"),
                        "checks", Map.of("md5", "not-a-digest"))))
                .post("/api/v1/transfers").then().statusCode(400).body("detail", containsString("32 hexadecimal digits"));
        as("carol").contentType(ContentType.JSON)
                .body(Map.of("taskId", "no spaces", "executionId", execution, "item", Map.of("name", "a", "url", server.url("/files/a"))))
                .post("/api/v1/transfers").then().statusCode(400).body("type", equalTo("urn:orrery:problem:invalid-task-id"));
        as("carol").contentType(ContentType.JSON).post("/api/v1/transfers").then().statusCode(400)
                .contentType("application/problem+json");
        as("carol").get("/api/v1/transfers/nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aTransferFromARefusedAddressIsA400ThatSaysWhy() {
        String execution = execution();
        Map<String, String> refused = Map.of(
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "metadata",
                "http://10.20.30.40/x.dat", "private",
                "http://[::127.0.0.1]:" + port() + "/files/x.dat", "IPv4-compatible",
                "http://[64:ff9b::a14:1e28]/x.dat", "NAT64",
                "http://2130706433/x.dat", "four decimal numbers");
        refused.forEach((url, why) -> as("carol").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "x.dat", "url", url)))
                .post("/api/v1/transfers").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:disallowed-source"))
                .body("detail", containsString(why)));
    }

    @Test
    void aQuoteAppliesTheSameAddressPolicyAsATransfer() throws Exception {
        String execution = execution();

        as("dave").queryParam("executionId", execution).queryParam("url", "http://169.254.169.254/latest/meta-data/")
                .queryParam("name", "meta.txt").get("/api/v1/quotes").then().statusCode(200)
                .body("feasible", equalTo(false))
                .body("items[0].error", containsString("metadata"));
        as("dave").contentType(ContentType.JSON)
                .body(Map.of("user", "dave", "executionId", execution, "items", List.of(
                        Map.of("name", "a.dat", "url", "http://10.20.30.40/a.dat"),
                        Map.of("name", "b.dat", "url", "http://[::127.0.0.1]/b.dat"),
                        Map.of("name", "c.dat", "url", "http://[64:ff9b::a14:1e28]/c.dat"),
                        Map.of("name", "d.dat", "url", server.url("/files/d.dat").replace("127.0.0.1", "localhost")))))
                .post("/api/v1/quotes").then().statusCode(200)
                .body("feasible", equalTo(false))
                .body("items[0].error", containsString("private"))
                .body("items[1].error", containsString("IPv4-compatible"))
                .body("items[2].error", containsString("NAT64"))
                .body("items[3].error", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void quotesPresentAbsentAndImpossibleItems() throws Exception {
        String execution = execution();
        byte[] present = serve("q-present.dat", 1000);
        var folder = StagingTestResource.storage().resolve("home/dave/broker/" + execution);
        Files.createDirectories(folder);
        Files.write(folder.resolve("present.dat"), present);
        Files.writeString(folder.resolve("different.dat"), "not the same");

        Response quote = as("dave").contentType(ContentType.JSON)
                .body(Map.of("user", "dave", "executionId", execution, "items", List.of(
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
        as("dave").contentType(ContentType.JSON).post("/api/v1/quotes").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void quotesOneItemFromTheQuery() throws Exception {
        String execution = execution();
        byte[] present = serve("q-one.dat", 1000);
        var folder = StagingTestResource.storage().resolve("home/fay/broker/" + execution);
        Files.createDirectories(folder);
        Files.write(folder.resolve("q-one.dat"), present);

        as("fay").queryParam("executionId", execution)
                .queryParam("url", server.url("/files/q-one.dat")).queryParam("size", present.length).queryParam("md5", md5(present))
                .get("/api/v1/quotes").then().statusCode(200)
                .body("items[0].name", equalTo("q-one.dat"))
                .body("items[0].present", equalTo(true))
                .body("feasible", equalTo(true));
        as("fay").queryParam("executionId", execution).queryParam("name", "other.dat")
                .queryParam("url", server.url("/files/q-one.dat")).get("/api/v1/quotes").then().statusCode(200)
                .body("items[0].name", equalTo("other.dat")).body("items[0].present", equalTo(false));

        as("fay").queryParam("url", server.url("/files/q-one.dat")).get("/api/v1/quotes")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("executionId"));
        as("fay").queryParam("executionId", execution).queryParam("url", server.url("/files/q-one.dat"))
                .queryParam("size", "big").get("/api/v1/quotes").then().statusCode(400).body("field", equalTo("size"));
        as("fay").queryParam("executionId", execution).queryParam("url", server.url("/files/q-one.dat"))
                .queryParam("md5", "abc").get("/api/v1/quotes").then().statusCode(400).body("field", equalTo("md5"));
        as("fay").queryParam("executionId", execution).queryParam("url", server.url("/files/"))
                .get("/api/v1/quotes").then().statusCode(400).body("field", equalTo("name"));
        as("fay").queryParam("executionId", execution).queryParam("name", "../x")
                .queryParam("url", server.url("/files/q-one.dat")).get("/api/v1/quotes").then().statusCode(200)
                .body("feasible", equalTo(false)).body("items[0].error", containsString(".."));
    }

    @Test
    void aMeasuredTransferRateFeedsLaterQuotes() throws Exception {
        byte[] data = serve("rate.dat", 2_000_000);
        String execution = execution();
        String location = as("erin").contentType(ContentType.JSON)
                .body(Map.of("executionId", execution, "item", Map.of("name", "rate.dat", "url", server.url("/files/rate.dat"))))
                .post("/api/v1/transfers").then().statusCode(202).extract().header("Location");
        await().atMost(PATIENCE).untilAsserted(() -> as("erin").get(location)
                .then().body("state", equalTo("COMPLETED")));
        assertThat(data).isNotEmpty();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as("erin").contentType(ContentType.JSON)
                        .body(Map.of("user", "erin", "executionId", execution(), "items", List.of(
                                Map.of("name", "next.dat", "url", server.url("/files/next.dat"), "checks", Map.of("size", 1_000_000)))))
                        .post("/api/v1/quotes").then().statusCode(200)
                        .body("items[0].reason", containsString("measured from 127.0.0.1")));
    }

    private int port() {
        return java.net.URI.create(server.url("/")).getPort();
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

    @TestHTTPResource("/")
    URL fuzzRoot;

    /** Every operation of /q/openapi, broken on purpose (seeded, so a finding replays): no 5xx, every 4xx problem+json, no hang. */
    @Test
    void aSeededFuzzOfEveryOperationNeverGetsA5xxAndAlwaysProblemJson() throws Exception {
        OpenApiFuzzer.assertEveryOperationHoldsUp(fuzzRoot, 13, 10);
    }
}
