package orrery.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A booking from request to COMPLETED through the real services: offers from the broker (quotes
 * from the staging service and the CANFAR adapter over NATS), a small program and its data
 * staged from a local HTTP server and checked, a local session that runs it, and the session
 * ended. Then the ways it can go wrong.
 */
class BookingIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static Suite suite;

    @BeforeAll
    static void start() throws Exception {
        suite = new Suite(List.of("staging-service", "canfar-adapter", "execution-broker"));
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private record Files2(String program, String data, String dataMd5, long dataSize, String programMd5, long programSize) {
    }

    /** Serves a program and a data file under names unique to the test. */
    private static Files2 serve(String tag) throws Exception {
        String program = "count-" + tag + ".py";
        String data = "data-" + tag + ".bin";
        byte[] bytes = new byte[300_000];
        new Random(tag.hashCode()).nextBytes(bytes);
        Files.write(suite.files.root().resolve(data), bytes);
        String source = "import hashlib, sys\n"
                + "print('sha256', hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())\n";
        Files.writeString(suite.files.root().resolve(program), source);
        return new Files2(program, data, md5(bytes), bytes.length, md5(source.getBytes()), source.length());
    }

    private static Map<String, Object> request(Files2 f, String dataPath, String dataMd5) {
        return Map.of(
                "name", "e2e",
                "executable", Map.of("kind", "command", "cmd", "python3", "args", List.of(f.program(), f.data()),
                        "location", Map.of("url", suite.files.url("/files/" + f.program())),
                        "checks", Map.of("size", f.programSize(), "md5", f.programMd5())),
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 1, "max", 1))),
                        "data", List.of(Map.of("name", f.data(), "location", Map.of("url", suite.files.url(dataPath)),
                                "checks", Map.of("size", f.dataSize(), "md5", dataMd5)))),
                "schedule", Map.of("requested", List.of(Map.of("duration", Map.of("min", "PT2M", "max", "PT2M")))));
    }

    private static String broker() {
        return suite.service("execution-broker").url();
    }

    private static String book(String token, Map<String, Object> request) {
        JsonNode offers = suite.call("POST", broker() + "/api/v1/offersets", token, request);
        assertThat(offers.path("result").asText()).as(offers.toString()).isEqualTo("YES");
        String offer = offers.path("offers").get(0).path("id").asText();
        suite.call("POST", broker() + "/api/v1/executions/" + offer + "/accept", token, null);
        return offer;
    }

    private static JsonNode execution(String token, String id) {
        return suite.call("GET", broker() + "/api/v1/executions/" + id, token, null);
    }

    private static JsonNode awaitPhase(String token, String id, String phase) {
        return await("execution " + id + " " + phase).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> execution(token, id), e -> {
                    String now = e.path("phase").asText();
                    if (!now.equals(phase) && List.of("COMPLETED", "FAILED", "CANCELLED").contains(now)) {
                        throw new AssertionError("execution ended " + now + " instead of " + phase + ": " + e);
                    }
                    return now.equals(phase);
                });
    }

    @Test
    void aBookingIsStagedRunAndCompleted() throws Exception {
        String user = "ada@example.org"; // an e-mail-like name travels through every service
        String token = suite.tokens.token(user);
        Files2 f = serve("happy");

        String id = book(token, request(f, "/files/" + f.data(), f.dataMd5()));

        JsonNode done = awaitPhase(token, id, "COMPLETED");
        Path folder = suite.storage.resolve("home/" + user + "/broker/" + id);
        assertThat(folder.resolve(f.data())).hasBinaryContent(Files.readAllBytes(suite.files.root().resolve(f.data())));
        assertThat(folder.resolve(f.program())).exists();
        String session = done.path("session").path("id").asText();
        String log = suite.text(suite.service("canfar-adapter").url() + "/api/v1/sessions/" + session + "/logs", token);
        assertThat(log).contains("sha256 " + sha256(Files.readAllBytes(suite.files.root().resolve(f.data()))));
        assertThat(done.path("tasks").findValuesAsText("state")).containsOnly("COMPLETED");
        List<String> phases = phases(token, id);
        assertThat(phases).containsSubsequence("ACCEPTED", "PREPARING", "WAITING", "RUNNING", "FINISHING", "COMPLETED");
    }

    @Test
    void aWrongChecksumFailsTheExecutionWithTheReason() throws Exception {
        String token = suite.tokens.token("bea");
        Files2 f = serve("wrong");

        String id = book(token, request(f, "/files/" + f.data(), "0123456789abcdef0123456789abcdef"));

        JsonNode failed = await().atMost(PATIENCE).until(() -> execution(token, id), e -> e.path("phase").asText().equals("FAILED"));
        assertThat(failed.path("reason").asText()).contains("staging " + f.data() + " failed").contains("MD5 mismatch");
        assertThat(suite.storage.resolve("home/bea/broker/" + id + "/" + f.data())).doesNotExist();
    }

    @Test
    void aCancelMidPreparationStopsTheTransfer() throws Exception {
        String user = "cyd";
        String token = suite.tokens.token(user);
        Files2 f = serve("cancel");
        suite.files.holdAfter(100_000);

        String id = book(token, request(f, "/hold/" + f.data(), f.dataMd5()));
        String stageTask = await().atMost(PATIENCE).until(() -> runningStage(token, id), t -> t != null);

        suite.call("POST", broker() + "/api/v1/executions/" + id + "/cancel", token, null);

        awaitPhase(token, id, "CANCELLED");
        await().atMost(PATIENCE).until(() -> suite.call("GET", suite.service("staging-service").url() + "/api/v1/transfers/"
                + stageTask, token, null).path("state").asText(), "CANCELLED"::equals);
        // The source is still holding the rest back: the cancel does not wait for it.
        Path folder = suite.storage.resolve("home/" + user + "/broker/" + id);
        await().atMost(PATIENCE).untilAsserted(() -> {
            try (var files = Files.list(folder)) {
                assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(f.data())
                        .noneMatch(name -> name.endsWith(".part"));
            }
        });
        suite.files.release(f.data());
    }

    @Test
    void aBrokerKilledWhilePreparingResumesAndNoStepRunsTwice() throws Exception {
        String user = "dee";
        String token = suite.tokens.token(user);
        Files2 f = serve("crash");
        suite.files.holdAfter(100_000);
        String id = book(token, request(f, "/hold/" + f.data(), f.dataMd5()));
        await().atMost(PATIENCE).until(() -> runningStage(token, id), t -> t != null);

        ServiceProcess broker = suite.service("execution-broker");
        broker.kill();
        suite.files.release(f.data());
        broker.start();
        broker.awaitReady();

        awaitPhase(token, id, "COMPLETED");
        assertThat(suite.files.requests("/hold/" + f.data())).as("the data was fetched once").isEqualTo(1);
        assertThat(suite.files.requests("/files/" + f.program())).as("the program was fetched once").isEqualTo(1);
        JsonNode sessions = suite.call("GET", suite.service("canfar-adapter").url() + "/api/v1/sessions", token, null);
        assertThat(sessions.findValuesAsText("executionId")).as("one session").containsOnlyOnce(id);
    }

    @Test
    void aSecondBrokerReplicaCarriesOnWhenTheFirstDies() throws Exception {
        String user = "eve";
        String token = suite.tokens.token(user);
        Files2 f = serve("replica");
        suite.files.holdAfter(100_000);
        ServiceProcess second = suite.replica("execution-broker", "execution-broker-2");
        String id = book(token, request(f, "/hold/" + f.data(), f.dataMd5()));
        await().atMost(PATIENCE).until(() -> runningStage(token, id), t -> t != null);

        ServiceProcess first = suite.service("execution-broker");
        first.kill();
        suite.files.release(f.data());

        // The surviving replica applies the reports, takes the due launch and finishes the execution.
        JsonNode done = await("execution " + id + " COMPLETED via the second replica").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> suite.call("GET", second.url() + "/api/v1/executions/" + id, token, null),
                        e -> e.path("phase").asText().equals("COMPLETED"));
        assertThat(done.path("tasks").findValuesAsText("state")).containsOnly("COMPLETED");
        assertThat(suite.files.requests("/hold/" + f.data())).isEqualTo(1);
        first.start();
        first.awaitReady();
    }

    private static String runningStage(String token, String id) {
        for (JsonNode task : execution(token, id).path("tasks")) {
            if (task.path("kind").asText().equals("stage") && task.path("name").asText().startsWith("data-")
                    && task.path("state").asText().equals("RUNNING")) {
                return task.path("id").asText();
            }
        }
        return null;
    }

    private static List<String> phases(String token, String id) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(broker() + "/api/v1/executions/" + id + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            return response.body().filter(line -> line.startsWith("data:"))
                    .map(line -> {
                        try {
                            return Suite.JSON.readTree(line.substring(5)).path("phase").asText();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

}
