package orrery.broker.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import orrery.broker.service.OfferBatches;
import orrery.broker.service.OfferExpiry;
import orrery.model.time.ManualTimeSource;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Offer sets asked for at once are planned a pool's batch at a time (OfferBatches): each must see
 * the offers held by those before it, a failure must reach every offer set it touched, and the
 * expiry sweep must keep up with them however many lapse at once.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class OfferBatchesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** orrery.broker.offers.sweep-batch in the test profile. */
    private static final int SWEEP_BATCH = 50;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/api/v1/offersets")
    URI offerSets;

    @Inject
    ManualTimeSource time;

    @Inject
    OfferExpiry expiry;

    @Inject
    OfferBatches batches;

    @Inject
    Pool database;

    private static RequestSpecification as(String user, String... groups) {
        return given().auth().oauth2(JwtTestResource.token(user, groups)).contentType(ContentType.JSON);
    }

    private static void pool(String name, int capacity) {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 4102444800L, "capacity", capacity))))
                .put("/api/v1/pools/" + name).then().statusCode(201);
    }

    /** {@code cores} for PT1H starting in {@code window} ("start/width"), nothing to stage. */
    private static String ask(String pool, int cores, String window) throws Exception {
        return JSON.writeValueAsString(Map.of(
                "name", "batched",
                "executable", Map.of("kind", "jupyter-notebook", "location", Map.of("url", "https://example.org/n.ipynb")),
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", cores, "max", cores)))),
                "schedule", Map.of("requested", List.of(Map.of("start", window, "duration", Map.of("min", "PT1H", "max", "PT1H")))),
                "pool", pool));
    }

    /** Sends every body at once, as a different user each; the answers in the same order. */
    private List<HttpResponse<String>> allAtOnce(List<String> bodies) {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            HttpRequest request = HttpRequest.newBuilder(offerSets)
                    .header("Authorization", "Bearer " + JwtTestResource.token("crowd-" + i))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build();
            sent.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        return sent.stream().map(CompletableFuture::join).toList();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Test
    void offerSetsAskedForAtOnceEachSeeTheOffersHeldBeforeThem() throws Exception {
        pool("crowd", 4);
        // One possible start (a window of no width) and 2 of the pool's 4 cores each: exactly two can be offered.
        String body = ask("crowd", 2, time.now().plus(Duration.ofHours(3)).toString() + "/PT0S");
        List<HttpResponse<String>> answers = allAtOnce(java.util.Collections.nCopies(24, body));

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201));
        List<JsonNode> yes = answers.stream().map(OfferBatchesTest::json).filter(set -> set.path("result").asText().equals("YES")).toList();
        assertThat(yes).as("two offers of two cores fill the four; a third would overbook").hasSize(2);
        assertThat(yes).allSatisfy(set -> assertThat(set.path("offers")).hasSize(1));
        answers.stream().map(OfferBatchesTest::json).filter(set -> set.path("result").asText().equals("NO"))
                .forEach(set -> assertThat(set.path("offers")).isEmpty());
        // Each answer was stored as given: the YES ones' offers are there, holding their cores.
        for (int i = 0; i < answers.size(); i++) {
            JsonNode set = json(answers.get(i));
            as("crowd-" + i).get("/api/v1/offersets/" + set.path("id").asText()).then().statusCode(200)
                    .body("result", equalTo(set.path("result").asText()))
                    .body("offers.size()", equalTo(set.path("offers").size()));
        }
        as("late").body(body).post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("NO"));
    }

    @Test
    void aPoolThatDoesNotExistFailsEveryOfferSetOfItsBatch() throws Exception {
        String body = ask("nowhere", 1, time.now().plus(Duration.ofHours(3)).toString() + "/PT1H");
        List<HttpResponse<String>> answers = allAtOnce(java.util.Collections.nCopies(8, body));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
            assertThat(json(answer).path("type").asText()).isEqualTo("urn:orrery:problem:unknown-pool");
        });
        // Nothing is kept for a pool once its queue is empty, so made-up pool names cost no memory.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> batches.busyPools() == 0);
    }

    @Test
    void oneSweepExpiresEveryLapsedOfferNotJustItsFirstBatch() throws Exception {
        pool("busy", 1000);
        String body = ask("busy", 1, time.now().plus(Duration.ofHours(3)).toString() + "/PT1H");
        List<Map.Entry<String, String>> offers = new ArrayList<>(); // (owner, offer)
        while (offers.size() <= 2 * SWEEP_BATCH) {
            List<HttpResponse<String>> answers = allAtOnce(java.util.Collections.nCopies(16, body));
            for (int i = 0; i < answers.size(); i++) {
                String owner = "crowd-" + i;
                json(answers.get(i)).path("offers").forEach(offer -> offers.add(Map.entry(owner, offer.path("id").asText())));
            }
        }

        time.advance(Duration.ofHours(1)); // past every offer's expiry (PT10M); the periodic sweep may start on the way
        expiry.sweep().await().atMost(Duration.ofSeconds(60));

        // One batch of this sweep and one of the periodic one could not have expired them all.
        for (int i = 0; i < 16; i++) {
            as("crowd-" + i).get("/api/v1/executions?phase=OFFERED&size=1").then().statusCode(200).body("total", equalTo(0));
        }
        for (Map.Entry<String, String> offer : List.of(offers.get(0), offers.get(offers.size() / 2), offers.get(offers.size() - 1))) {
            as(offer.getKey()).get("/api/v1/executions/" + offer.getValue()).then().statusCode(200).body("phase", equalTo("EXPIRED"));
        }
        assertThat(expiry.sweep().await().atMost(Duration.ofSeconds(10))).isZero();
    }

    @Test
    void lapsedHoldsAreReleasedWithoutWaitingForThePoolsLock() throws Exception {
        pool("swept", 2);
        String body = ask("swept", 2, time.now().plus(Duration.ofHours(3)).toString() + "/PT0S");
        as("lapsing").body(body).post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("YES"));
        long numbered = newestChange("swept");

        // Someone holds the pool's lock (an offer batch, a booking) while the offer lapses and is swept.
        SqlConnection holder = database.getConnectionAndAwait();
        Transaction transaction = holder.beginAndAwait();
        try {
            holder.preparedQuery("SELECT 1 FROM pool WHERE name = $1 FOR UPDATE").executeAndAwait(Tuple.of("swept"));
            // Past the offer's expiry (PT10M) and no further: the clock is shared with other test classes,
            // whose example windows are this morning. The periodic sweep may start on the way.
            time.advance(Duration.ofMinutes(11));
            expiry.sweep().await().atMost(Duration.ofSeconds(30));
            // A sweep that needed the lock would still be waiting for it (and another skips its rows).
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> states("swept").equals(List.of("RELEASED")));
        } finally {
            transaction.rollbackAndAwait();
            holder.closeAndAwait();
        }

        // The release took no change number: no replica has anything to catch up on, nothing counted it anyway.
        assertThat(newestChange("swept")).isEqualTo(numbered);
        // The lapsed hold counts for nothing: its cores are offered again, and then they are held.
        as("next").body(body).post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("YES"));
        as("after").body(body).post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("NO"));
    }

    private long newestChange(String pool) {
        return database.preparedQuery("SELECT coalesce(max(change_number), 0) AS newest FROM reservation WHERE pool = $1")
                .executeAndAwait(Tuple.of(pool)).iterator().next().getLong("newest");
    }

    /** The distinct states of the pool's reservations, in order. */
    private List<String> states(String pool) {
        List<String> states = new ArrayList<>();
        for (Row row : database.preparedQuery("SELECT DISTINCT state FROM reservation WHERE pool = $1 ORDER BY state")
                .executeAndAwait(Tuple.of(pool))) {
            states.add(row.getString("state"));
        }
        return states;
    }
}
