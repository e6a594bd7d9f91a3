package orrery.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The suite on simulated time (issue 15): the time controller of deploy/sim and the services as
 * separate processes over real NATS and PostgreSQL, sessions and transfers modelled. Bookings a
 * day ahead complete in seconds of wall time, each transition at its simulated instant.
 */
class SimulatedIT {

    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    private static final List<String> SERVICES = List.of("staging-service", "canfar-adapter", "execution-broker");

    private static Suite suite;

    @BeforeAll
    static void start() throws Exception {
        suite = new Suite(SERVICES, START);
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private final Bookings b = new Bookings(suite);

    @Test
    void aNotebookBookedADayAheadWithTwoItemsRunsAtItsSimulatedInstants() {
        String token = suite.tokens.token("ada");
        Instant begin = suite.controller.now().now();
        Instant start = begin.plus(Duration.ofDays(1));
        long wall = System.nanoTime();

        JsonNode offer = bookFirst(token, notebook(start, "PT2H", 2));
        String id = offer.path("id").asText();
        JsonNode done = b.awaitPhase(token, id, "COMPLETED");
        Duration took = Duration.ofNanos(System.nanoTime() - wall);

        Map<String, Instant> at = instants(b.history(token, id));
        Instant booked = Instant.parse(offer.path("schedule").path("executing").path("start").asText());
        assertThat(booked).isAfterOrEqualTo(start);
        assertThat(at.get("PREPARING")).isEqualTo(Instant.parse(offer.path("schedule").path("preparing").path("start").asText()));
        assertThat(at.get("WAITING")).isAfter(at.get("PREPARING")).isBefore(booked);
        assertThat(at.get("RUNNING")).isEqualTo(booked);
        assertThat(at.get("FINISHING")).isEqualTo(booked.plus(Duration.ofHours(2)));
        assertThat(at.get("COMPLETED")).isAfterOrEqualTo(at.get("FINISHING"));
        assertThat(done.path("tasks").findValuesAsText("state")).containsOnly("COMPLETED");
        System.out.printf("a booking a day ahead: %s of simulated time in %.1f s of wall time%n",
                Duration.between(begin, at.get("COMPLETED")), took.toMillis() / 1000.0);
    }

    @Test
    void aSessionThatWouldOverrunIsEndedAtItsBookedEnd() {
        String token = suite.tokens.token("grace");
        Instant start = suite.controller.now().now().plus(Duration.ofHours(3));
        Map<String, Object> request = headless(start, "PT2H", "PT5H");

        JsonNode offer = bookFirst(token, request);
        String id = offer.path("id").asText();
        b.awaitPhase(token, id, "COMPLETED");

        List<JsonNode> history = b.history(token, id);
        Map<String, Instant> at = instants(history);
        Instant booked = Instant.parse(offer.path("schedule").path("executing").path("start").asText());
        assertThat(at.get("RUNNING")).as("%s, offer %s", history, offer).isEqualTo(booked);
        assertThat(at.get("FINISHING")).isEqualTo(booked.plus(Duration.ofHours(2)));
        assertThat(b.history(token, id)).filteredOn(c -> c.path("phase").asText().equals("FINISHING"))
                .singleElement().satisfies(c -> assertThat(c.path("reason").asText()).contains("the booking ended"));
    }

    @Test
    void timeWaitsForABrokerKilledMidwayAndMovesOnOnceItIsBack() {
        String token = suite.tokens.token("hedy");
        Instant start = suite.controller.now().now().plus(Duration.ofDays(2));
        JsonNode offer = bookFirst(token, headless(start, "PT1H", "PT30M"));
        Instant preparing = Instant.parse(offer.path("schedule").path("preparing").path("start").asText());

        suite.service("execution-broker").kill();
        await("time held while the broker is down").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> suite.controller.now().now().isBefore(preparing));
        suite.service("execution-broker").start();
        suite.service("execution-broker").awaitReady();

        String id = offer.path("id").asText();
        b.awaitPhase(token, id, "COMPLETED");
        Map<String, Instant> at = instants(b.history(token, id));
        assertThat(at.get("PREPARING")).isEqualTo(preparing);
        assertThat(at.get("FINISHING")).isEqualTo(Instant.parse(offer.path("schedule").path("executing").path("start").asText())
                .plus(Duration.ofMinutes(30))); // the session ended by itself after its modelled runtime
    }

    /** Asks for offers, accepts the first and returns it (with its schedule). */
    private JsonNode bookFirst(String token, Map<String, Object> request) {
        JsonNode offers = suite.call("POST", suite.service("execution-broker").url() + "/api/v1/offersets", token, request);
        assertThat(offers.path("result").asText()).as(offers.toString()).isEqualTo("YES");
        JsonNode offer = offers.path("offers").get(0);
        suite.call("POST", suite.service("execution-broker").url() + "/api/v1/executions/" + offer.path("id").asText() + "/accept",
                token, null);
        return offer;
    }

    private Map<String, Object> notebook(Instant start, String duration, int items) {
        List<Map<String, Object>> data = new java.util.ArrayList<>();
        for (int i = 0; i < items; i++) {
            data.add(Map.of("name", "part-" + i + ".fits", "location", Map.of("url", suite.files.url("/files/part-" + i + ".fits")),
                    "checks", Map.of("size", 500_000_000L * (i + 1))));
        }
        return Map.of("name", "sim-notebook",
                "executable", Map.of("kind", "jupyter-notebook", "location", Map.of("url", suite.files.url("/files/analysis.ipynb")),
                        "checks", Map.of("size", 4_000)),
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 2, "max", 2))), "data", data),
                "schedule", Map.of("requested", List.of(window(start, duration))));
    }

    /** A headless program booked for {@code duration} whose modelled session runs {@code runtime}. */
    private Map<String, Object> headless(Instant start, String duration, String runtime) {
        return Map.of("name", "sim-headless",
                "executable", Map.of("kind", "command", "cmd", "python3", "args", List.of("run.py"),
                        "env", Map.of("ORRERY_SIM_RUNTIME", runtime),
                        "location", Map.of("url", suite.files.url("/files/run.py")), "checks", Map.of("size", 100)),
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 1, "max", 1)))),
                "schedule", Map.of("requested", List.of(window(start, duration))));
    }

    private static Map<String, Object> window(Instant start, String duration) {
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("start", start + "/PT10M");
        window.put("duration", Map.of("min", duration, "max", duration));
        return window;
    }

    /** The first instant of each phase in a history. */
    private static Map<String, Instant> instants(List<JsonNode> history) {
        Map<String, Instant> at = new LinkedHashMap<>();
        history.forEach(change -> at.putIfAbsent(change.path("phase").asText(), Instant.parse(change.path("at").asText())));
        return at;
    }
}
