package orrery.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Booking through the broker of a {@link Suite}, as a scientist's client would: serve, ask, accept, follow. */
final class Bookings {

    static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A program and its data served by the suite's file server, with their checks. */
    record Served(String program, String data, String dataMd5, long dataSize, String programMd5, long programSize, byte[] bytes) {
    }

    private final Suite suite;

    Bookings(Suite suite) {
        this.suite = suite;
    }

    /** Serves a program that prints the data's SHA-256, and a data file, under names unique to {@code tag}. */
    Served serve(String tag) throws IOException {
        return serve(tag, "");
    }

    /**
     * As {@link #serve(String)}; with {@code waitFor} set, the program then waits until a file of that
     * name appears in its session folder, so a test can hold a session in RUNNING.
     */
    Served serve(String tag, String waitFor) throws IOException {
        return serve(tag, waitFor, false);
    }

    /**
     * As {@link #serve(String, String)}; with {@code outlastTheEnd} the program also ignores the
     * SIGTERM that ends its session, so the execution stays FINISHING until the file appears (or
     * the adapter's grace runs out).
     */
    Served serve(String tag, String waitFor, boolean outlastTheEnd) throws IOException {
        String program = "count-" + tag + ".py";
        String data = "data-" + tag + ".bin";
        byte[] bytes = new byte[300_000];
        new Random(tag.hashCode()).nextBytes(bytes);
        Files.write(suite.files.root().resolve(data), bytes);
        String source = "import hashlib, os, signal, sys, time\n"
                + "print('sha256', hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest(), flush=True)\n"
                + (outlastTheEnd ? "signal.signal(signal.SIGTERM, lambda *_: print('asked to end; not yet', flush=True))\n" : "")
                + (waitFor.isEmpty() ? "" : "while not os.path.exists('" + waitFor + "'):\n    time.sleep(0.2)\n");
        Files.writeString(suite.files.root().resolve(program), source);
        return new Served(program, data, md5(bytes), bytes.length, md5(source.getBytes()), source.length(), bytes);
    }

    /** A request for {@code f} on one core for two minutes, as soon as possible. */
    Map<String, Object> request(Served f, String dataPath, String dataMd5) {
        return request(f, dataPath, dataMd5, null);
    }

    /** As {@link #request(Served, String, String)}, starting within ten seconds of {@code start} when given. */
    Map<String, Object> request(Served f, String dataPath, String dataMd5, Instant start) {
        return request(f, dataPath, dataMd5, start, "PT2M");
    }

    /** As {@link #request(Served, String, String, Instant)}, for {@code duration} (ISO-8601). */
    Map<String, Object> request(Served f, String dataPath, String dataMd5, Instant start, String duration) {
        Map<String, Object> requested = new LinkedHashMap<>();
        if (start != null) {
            requested.put("start", start + "/PT10S");
        }
        requested.put("duration", Map.of("min", duration, "max", duration));
        return Map.of(
                "name", "e2e",
                "executable", Map.of("kind", "command", "cmd", "python3", "args", List.of(f.program(), f.data()),
                        "location", Map.of("url", suite.files.url("/files/" + f.program())),
                        "checks", Map.of("size", f.programSize(), "md5", f.programMd5())),
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 1, "max", 1))),
                        "data", List.of(Map.of("name", f.data(), "location", Map.of("url", suite.files.url(dataPath)),
                                "checks", Map.of("size", f.dataSize(), "md5", dataMd5)))),
                "schedule", Map.of("requested", List.of(requested)));
    }

    String broker() {
        return suite.service("execution-broker").url();
    }

    /** Asks for offers and accepts the first; returns the execution's id. */
    String book(String token, Map<String, Object> request) {
        JsonNode offers = suite.call("POST", broker() + "/api/v1/offersets", token, request);
        assertThat(offers.path("result").asText()).as(offers.toString()).isEqualTo("YES");
        String offer = offers.path("offers").get(0).path("id").asText();
        suite.call("POST", broker() + "/api/v1/executions/" + offer + "/accept", token, null);
        return offer;
    }

    /** Books {@code f} as served under {@code /files/}, starting as soon as possible or near {@code start}. */
    String bookServed(String token, Served f, Instant start) {
        return book(token, request(f, "/files/" + f.data(), f.dataMd5(), start));
    }

    JsonNode execution(String token, String id) {
        return suite.call("GET", broker() + "/api/v1/executions/" + id, token, null);
    }

    String phase(String token, String id) {
        return execution(token, id).path("phase").asText();
    }

    /** Waits for {@code phase}; fails at once if the execution ends in another. */
    JsonNode awaitPhase(String token, String id, String phase) {
        return await("execution " + id + " " + phase).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> execution(token, id), e -> {
                    String now = e.path("phase").asText();
                    if (!now.equals(phase) && List.of("COMPLETED", "FAILED", "CANCELLED").contains(now)) {
                        throw new AssertionError("execution ended " + now + " instead of " + phase + ": " + e);
                    }
                    return now.equals(phase);
                });
    }

    /** The id of the execution's data transfer while it is RUNNING, else null. */
    String runningStage(String token, String id) {
        for (JsonNode task : execution(token, id).path("tasks")) {
            if (task.path("kind").asText().equals("stage") && task.path("name").asText().startsWith("data-")
                    && task.path("state").asText().equals("RUNNING")) {
                return task.path("id").asText();
            }
        }
        return null;
    }

    /** The phases of the execution's history, in the order the server-sent events give them. */
    List<String> phases(String token, String id) {
        return history(token, id).stream().map(change -> change.path("phase").asText()).toList();
    }

    /** The execution's phase changes ({@code phase}, {@code at}, {@code reason}, ...) from its events stream. */
    List<JsonNode> history(String token, String id) {
        try {
            HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(broker() + "/api/v1/executions/" + id + "/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines());
            return response.body().filter(line -> line.startsWith("data:"))
                    .map(line -> {
                        try {
                            return Suite.JSON.readTree(line.substring(5));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** For diagnostics: the phase changes the events stream sends within a few seconds (it stays open until the end). */
    List<String> historySoFar(String token, String id) {
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.CompletableFuture<Void> reading = HTTP.sendAsync(HttpRequest.newBuilder(
                        URI.create(broker() + "/api/v1/executions/" + id + "/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> response.body()
                .filter(line -> line.startsWith("data:")).forEach(lines::add));
        try {
            reading.get(3, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException stillOpen) {
            reading.cancel(true);
        } catch (java.util.concurrent.ExecutionException e) {
            lines.add("(events unreadable: " + e.getCause() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(lines);
    }

    static String md5(byte[] data) {
        return hex("MD5", data);
    }

    static String sha256(byte[] data) {
        return hex("SHA-256", data);
    }

    private static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
