package orrery.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import orrery.testsupport.ServiceProcess;

/**
 * Two broker replicas on one database, each planning from its own in-memory ledger of the pool:
 * reservations and offer sets fired at both at once must never overbook the pool, and every
 * refusal must be justified by what the other replica (or this one) had taken.
 */
class ReplicasIT {

    private static final int CAPACITY = 10;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Suite suite;
    private static ServiceProcess second;

    @BeforeAll
    static void start() throws Exception {
        // No staging service or CANFAR adapter: offer sets use the fallback quotes, which is all this needs.
        suite = new Suite(List.of("execution-broker"), Map.of("ORRERY_BROKER_OFFERS_QUOTE_TIMEOUT", "PT0.5S"));
        second = suite.replica("execution-broker", "execution-broker-2");
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void twoReplicasFiredAtOnceNeverOverbookAPool() throws Exception {
        String admin = suite.tokens.token("root", "admin");
        String token = suite.tokens.token("ivan");
        List<String> brokers = List.of(suite.service("execution-broker").url(), second.url());
        long t0 = Instant.now().getEpochSecond() + 7200;
        long end = t0 + 3600;
        suite.call("PUT", brokers.get(0) + "/api/v1/pools/twin", admin,
                Map.of("segments", List.of(Map.of("start_time", 0, "end_time", end + 86_400, "capacity", CAPACITY))));
        // Each replica builds its ledger before the other writes, so the rest must come from catching up.
        for (String broker : brokers) {
            suite.call("POST", broker + "/api/v1/pools/twin/reservations", token,
                    Map.of("start_time", t0, "end_time", t0 + 1, "amount", 1));
        }

        Random random = new Random(5);
        List<long[]> asks = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> offerSets = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String broker = brokers.get(i % 2);
            if (i % 8 == 7) { // an offer set now and then: its held offers take capacity too
                offerSets.add(send(broker + "/api/v1/offersets", token, "{\"name\":\"twin\",\"pool\":\"twin\","
                        + "\"executable\":{\"kind\":\"command\",\"cmd\":\"true\"},"
                        + "\"resources\":{\"compute\":[{\"cores\":{\"min\":1,\"max\":3}}]},\"schedule\":{\"requested\":[{\"start\":\""
                        + Instant.ofEpochSecond(t0 + random.nextInt(3000)) + "/PT10M\",\"duration\":{\"min\":\"PT5M\",\"max\":\"PT5M\"}}]}}"));
                continue;
            }
            long start = t0 + 1 + random.nextInt(3000);
            long[] ask = {start, start + 1 + random.nextInt(600), 1 + random.nextInt(3)};
            asks.add(ask);
            answers.add(send(broker + "/api/v1/pools/twin/reservations", token,
                    "{\"start_time\":" + ask[0] + ",\"end_time\":" + ask[1] + ",\"amount\":" + ask[2] + "}"));
        }
        for (CompletableFuture<HttpResponse<String>> offerSet : offerSets) {
            assertThat(offerSet.get().statusCode()).as(offerSet.get().body()).isEqualTo(201);
        }
        List<long[]> refused = new ArrayList<>();
        for (int i = 0; i < asks.size(); i++) {
            HttpResponse<String> answer = answers.get(i).get();
            assertThat(answer.statusCode()).as(answer.body()).isIn(201, 409);
            if (answer.statusCode() == 409) {
                refused.add(asks.get(i));
            }
        }

        // The database's own view (not a ledger's): nothing overbooked, with the held offers counted.
        JsonNode free = suite.call("GET", brokers.get(0) + "/api/v1/pools/twin/availability?start_time=" + t0 + "&end_time=" + end,
                token, null).path("free");
        for (JsonNode span : free) {
            assertThat(span.path("free").asInt()).as("free over %s", span).isBetween(0, CAPACITY);
        }
        assertThat(refused).as("the pool is tight enough that some are refused").isNotEmpty();
        for (long[] ask : refused) { // usage only grew during the run: a refusal is right if too little is free at the end
            int least = CAPACITY;
            for (JsonNode span : free) {
                if (span.path("start_time").asLong() < ask[1] && span.path("end_time").asLong() > ask[0]) {
                    least = Math.min(least, span.path("free").asInt());
                }
            }
            assertThat(least).as("refusal of %d cores over [%d, %d)", ask[2], ask[0], ask[1]).isLessThan((int) ask[2]);
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(String url, String token, String json) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
