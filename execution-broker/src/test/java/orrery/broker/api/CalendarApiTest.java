package orrery.broker.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** The capacity calendar over HTTP, with the two example schedules. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class CalendarApiTest {

    private static final long S1 = 1707165008L;     // schedule-1 starts (64 cores)
    private static final long S1_B = 1708374608L;   // schedule-1: 96 cores from here

    @TestHTTPResource("/")
    URI base;

    private static RequestSpecification as(String user, String... groups) {
        return given().auth().oauth2(JwtTestResource.token(user, groups)).contentType(ContentType.JSON);
    }

    private static Map<String, Object> ask(long start, long end, int amount) {
        return Map.of("start_time", start, "end_time", end, "amount", amount);
    }

    @Test
    void shipsTheExampleSchedules() {
        as("alice").get("/api/v1/pools/schedule-1").then().statusCode(200)
                .body("segments", hasSize(4)).body("segments[3].capacity", equalTo(128))
                .body("start_time", equalTo((int) S1));
        as("alice").get("/api/v1/pools/schedule-2").then().statusCode(200)
                .body("segments.capacity", equalTo(List.of(50, 80, 40, 100, 20, 60)));
    }

    @Test
    void reservesReadsAndReleases() {
        String location = as("alice").body(ask(S1 + 100, S1 + 200, 8)).post("/api/v1/pools/schedule-1/reservations")
                .then().statusCode(201).body("amount", equalTo(8)).body("user_id", equalTo("alice"))
                .body("state", equalTo("FIRM")).extract().header("Location");

        as("alice").get(location).then().statusCode(200).body("start_time", equalTo((int) (S1 + 100)));
        as("bob").get(location).then().statusCode(404).contentType("application/problem+json");
        as("bob").delete(location).then().statusCode(404);
        as("alice").delete(location).then().statusCode(204);
        as("alice").delete(location).then().statusCode(204);
        as("alice").get(location).then().body("state", equalTo("RELEASED"));
    }

    @Test
    void aRequestSpanningSegmentsMustFitInEach() {
        as("carol").body(ask(S1_B - 60, S1_B + 60, 64)).post("/api/v1/pools/schedule-1/reservations").then().statusCode(201);

        JsonPath refusal = as("carol").body(ask(S1_B - 60, S1_B + 60, 20)).post("/api/v1/pools/schedule-1/reservations")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:not-enough-capacity"))
                .extract().jsonPath();

        assertThat(refusal.getInt("alternatives.largestFree.amount")).isZero();
        // From the segment boundary on there are 96 cores, 32 of them free beside carol's 64.
        assertThat(refusal.getLong("alternatives.nextTimeframe.start_time")).isEqualTo(S1_B);
        assertThat(refusal.getLong("alternatives.nextTimeframe.end_time")).isEqualTo(S1_B + 120);
    }

    @Test
    void refusesEachKindOfBadRequestWithItsOwnType() {
        refuse(Map.of("start_time", S1 + 10, "end_time", S1 + 10, "amount", 1), 400, "start-not-before-end");
        refuse(Map.of("start_time", "1707165008", "end_time", S1 + 10, "amount", 1), 400, "not-unix-seconds");
        refuse(Map.of("start_time", 1707165008.5, "end_time", S1 + 10, "amount", 1), 400, "not-unix-seconds");
        refuse(Map.of("start_time", -1, "end_time", S1 + 10, "amount", 1), 400, "not-unix-seconds");
        refuse(Map.of("start_time", 17071650080L, "end_time", 17071650090L, "amount", 1), 400, "not-unix-seconds");
        refuse(Map.of("start_time", S1 + 10, "end_time", S1 + 20, "amount", 0), 400, "invalid-amount");
        refuse(Map.of("start_time", S1 + 10, "end_time", S1 + 20, "amount", 1.5), 400, "invalid-amount");
        refuse(Map.of("start_time", S1 + 10, "end_time", S1 + 20, "amount", 200), 400, "amount-exceeds-capacity");
        refuse(Map.of("start_time", S1 + 10, "end_time", S1 + 20, "amount", 1, "priority", "high"), 400, "unknown-field");
        refuse(Map.of("end_time", S1 + 20, "amount", 1), 400, "missing-field");
        as("dave").body(ask(S1 - 100, S1 + 100, 1)).post("/api/v1/pools/schedule-1/reservations")
                .then().statusCode(400).body("type", equalTo("urn:orrery:problem:outside-schedule"))
                .body("detail", containsString("[1707165008, 1713213008)"));
        as("dave").body(ask(S1, S1 + 10, 1)).post("/api/v1/pools/nowhere/reservations")
                .then().statusCode(404).body("type", equalTo("urn:orrery:problem:unknown-pool"));
        as("dave").body("{not json").post("/api/v1/pools/schedule-1/reservations").then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:malformed-json"));
    }

    @Test
    void needsAValidTokenAndAdminForSchedules() {
        given().contentType(ContentType.JSON).body(ask(S1, S1 + 10, 1)).post("/api/v1/pools/schedule-1/reservations")
                .then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:unauthenticated"));
        given().auth().oauth2("not-a-token").get("/api/v1/pools").then().statusCode(401);
        as("eve").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 100, "capacity", 5))))
                .put("/api/v1/pools/eves").then().statusCode(403).body("type", equalTo("urn:orrery:problem:forbidden"));
        as("eve").body(Map.of("start_time", S1 + 10, "end_time", S1 + 20, "amount", 1, "user_id", "frank"))
                .post("/api/v1/pools/schedule-1/reservations").then().statusCode(403);
    }

    @Test
    void anAdminDefinesAndReplacesSchedulesButNeverOverbooks() {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 1000, "end_time", 2000, "capacity", 10))))
                .put("/api/v1/pools/lab").then().statusCode(201).body("segments[0].capacity", equalTo(10));
        as("gina").body(ask(1100, 1200, 8)).post("/api/v1/pools/lab/reservations").then().statusCode(201);

        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 1000, "end_time", 2000, "capacity", 5))))
                .put("/api/v1/pools/lab").then().statusCode(409)
                .body("type", equalTo("urn:orrery:problem:schedule-conflicts-with-reservations"));
        as("root", "admin").body(List.of(Map.of("start_time", 1000, "end_time", 3000, "capacity", 12)))
                .put("/api/v1/pools/lab").then().statusCode(200).body("end_time", equalTo(3000));
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 100, "capacity", 5),
                        Map.of("start_time", 50, "end_time", 150, "capacity", 5))))
                .put("/api/v1/pools/lab").then().statusCode(400).body("type", equalTo("urn:orrery:problem:invalid-schedule"));
    }

    @Test
    void availabilityIsPiecewise() {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 100, "capacity", 10),
                Map.of("start_time", 100, "end_time", 200, "capacity", 20)))).put("/api/v1/pools/avail").then().statusCode(201);
        as("hal").body(ask(50, 150, 4)).post("/api/v1/pools/avail/reservations").then().statusCode(201);

        as("hal").queryParam("start_time", 0).queryParam("end_time", 250).get("/api/v1/pools/avail/availability")
                .then().statusCode(200)
                .body("free.start_time", equalTo(List.of(0, 50, 100, 150, 200)))
                .body("free.free", equalTo(List.of(10, 6, 16, 20, 0)));
        as("hal").queryParam("start_time", "soon").queryParam("end_time", 250).get("/api/v1/pools/avail/availability")
                .then().statusCode(400).body("type", equalTo("urn:orrery:problem:not-unix-seconds"));
        as("hal").queryParam("start_time", 10).get("/api/v1/pools/avail/availability").then().statusCode(400)
                .body("field", equalTo("end_time"));
    }

    /** The test profile's quota: 100 cores held at once, nothing ending more than P365D after now. */
    @Test
    void aUsersQuotaLimitsWhatTheyHoldAtOnceAndHowFarAhead() {
        long d = 1711398608L; // schedule-1: 128 cores from here
        as("quinn").body(ask(d + 100, d + 200, 60)).post("/api/v1/pools/schedule-1/reservations").then().statusCode(201);
        as("quinn").body(ask(d + 150, d + 250, 50)).post("/api/v1/pools/schedule-1/reservations").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("urn:orrery:problem:quota-exceeded"))
                .body("quota.maxCores", equalTo(100))
                .body("detail", containsString("100 cores held at once")).body("detail", containsString("hold 60"));
        // Side by side is fine, and so is another user in the same interval: the pool still has room.
        as("quinn").body(ask(d + 200, d + 300, 50)).post("/api/v1/pools/schedule-1/reservations").then().statusCode(201);
        as("rita").body(ask(d + 150, d + 250, 50)).post("/api/v1/pools/schedule-1/reservations").then().statusCode(201);
        // The quota counts every pool: quinn's 60 in schedule-1 leave 40 in schedule-2 at the same time.
        as("quinn").body(ask(d + 100, d + 200, 45)).post("/api/v1/pools/schedule-2/reservations").then().statusCode(409)
                .body("type", equalTo("urn:orrery:problem:quota-exceeded"));

        long far = orrery.broker.TestClock.START.plus(java.time.Duration.ofDays(400)).getEpochSecond();
        as("quinn").body(ask(far, far + 60, 1)).post("/api/v1/pools/default/reservations").then().statusCode(409)
                .body("type", equalTo("urn:orrery:problem:quota-exceeded")).body("detail", containsString("horizon"));
    }

    /**
     * Fires 80 reservations at once at a pool of 10 cores and checks that the reserved sum never
     * exceeds the capacity and that every refusal was justified: usage only grew during the run,
     * so a refusal was right exactly when, at the end, too little is free in its interval.
     */
    @Test
    void concurrentReservationsNeverOverbook() throws Exception {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 3600, "capacity", 10))))
                .put("/api/v1/pools/tight").then().statusCode(201);
        Random random = new Random(11);
        HttpClient http = HttpClient.newHttpClient();
        String token = JwtTestResource.token("ivan");
        List<long[]> asks = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            long start = random.nextInt(3000);
            long[] req = {start, start + 1 + random.nextInt(600), 1 + random.nextInt(3)};
            asks.add(req);
            answers.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/pools/tight/reservations"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"start_time\":" + req[0] + ",\"end_time\":" + req[1] + ",\"amount\":" + req[2] + "}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int[] reserved = new int[3601];
        List<long[]> refused = new ArrayList<>();
        for (int i = 0; i < asks.size(); i++) {
            HttpResponse<String> answer = answers.get(i).get();
            long[] req = asks.get(i);
            assertThat(answer.statusCode()).as(answer.body()).isIn(201, 409);
            if (answer.statusCode() == 201) {
                for (long t = req[0]; t < req[1]; t++) {
                    reserved[(int) t] += (int) req[2];
                }
            } else {
                refused.add(req);
            }
        }
        for (int t = 0; t < 3600; t++) {
            assertThat(reserved[t]).as("reserved at %d", t).isLessThanOrEqualTo(10);
        }
        assertThat(refused).as("the pool is tight enough that some are refused").isNotEmpty();
        for (long[] req : refused) {
            int freeAtEnd = 10 - java.util.stream.IntStream.range((int) req[0], (int) req[1]).map(t -> reserved[t]).max().orElse(0);
            assertThat(freeAtEnd).as("refusal of %d cores over [%d, %d)", req[2], req[0], req[1]).isLessThan((int) req[2]);
        }
        as("ivan").queryParam("start_time", 0).queryParam("end_time", 3600).get("/api/v1/pools/tight/availability")
                .then().body("free.findAll { it.free < 0 }", hasSize(0));
    }

    private static void refuse(Map<String, Object> body, int status, String slug) {
        as("dave").body(body).post("/api/v1/pools/schedule-1/reservations").then().statusCode(status)
                .contentType("application/problem+json").body("type", equalTo("urn:orrery:problem:" + slug));
    }

}
