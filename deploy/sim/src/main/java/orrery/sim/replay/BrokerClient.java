package orrery.sim.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The broker's REST API as the replay uses it (execution-broker/README.md): offer sets, accept,
 * cancel, an execution's view and its phase history (the server-sent events of a finished
 * execution), and a pool's schedule. Every call carries the bearer token of the request's user.
 * Connection failures and 502/503/504 answers are retried for up to {@code retryFor} of real time
 * (the broker may be restarting); anything else is returned as it came.
 */
final class BrokerClient {

    /** The phases after which an execution never changes (the events stream ends there). */
    static final Set<String> FINAL_PHASES = Set.of("COMPLETED", "FAILED", "CANCELLED", "REJECTED", "EXPIRED");

    /** An answer: the status and the JSON body (a problem+json on errors; {@link NullNode} when empty or not JSON). */
    record Response(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The problem's type slug ({@code urn:orrery:problem:offer-expired} → {@code offer-expired}), or the status. */
        String problem() {
            String type = body.path("type").asText("");
            int colon = type.lastIndexOf(':');
            return type.isEmpty() ? "http-" + status : "http-" + status + " " + type.substring(colon + 1);
        }

        /** The problem's detail (or title), for a person. */
        String detail() {
            return body.path("detail").asText(body.path("title").asText(""));
        }
    }

    /** One phase change of an execution's history. */
    record PhaseChange(String phase, Instant at, String reason) {
    }

    /** The broker could not be reached (within the retry time). */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final URI base;
    private final Tokens tokens;
    private final Duration timeout;
    private final Duration retryFor;
    private final ObjectMapper json = new ObjectMapper();

    BrokerClient(URI base, Tokens tokens, Duration timeout, Duration retryFor) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.timeout = timeout;
        this.retryFor = retryFor;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    Response offerSet(String user, JsonNode body) {
        return send(user, "POST", "api/v1/offersets", body);
    }

    Response accept(String user, UUID offer) {
        return send(user, "POST", "api/v1/executions/" + offer + "/accept", null);
    }

    Response cancel(String user, UUID execution) {
        return send(user, "POST", "api/v1/executions/" + execution + "/cancel", null);
    }

    Response execution(String user, UUID execution) {
        return send(user, "GET", "api/v1/executions/" + execution, null);
    }

    Response pool(String user, String pool) {
        return send(user, "GET", "api/v1/pools/" + pool, null);
    }

    /**
     * The phase history of a finished execution, from {@code GET .../events} (its history, then the
     * stream ends after the final phase). Call it only for an execution known to be final: on
     * simulated time an open stream is a request in flight at the broker, which holds time.
     */
    List<PhaseChange> history(String user, UUID execution) {
        HttpRequest request = request(user, "GET", "api/v1/executions/" + execution + "/events", null)
                .header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = retrying(() -> http.send(request, HttpResponse.BodyHandlers.ofLines()),
                "GET /api/v1/executions/" + execution + "/events");
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /api/v1/executions/" + execution + "/events answered " + response.statusCode());
            }
            List<PhaseChange> changes = new ArrayList<>();
            StringBuilder data = new StringBuilder();
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && data.length() > 0) {
                    JsonNode event = readJson(data.toString());
                    data.setLength(0);
                    PhaseChange change = new PhaseChange(event.path("phase").asText(), Instant.parse(event.path("at").asText()),
                            event.path("reason").isTextual() ? event.path("reason").asText() : null);
                    changes.add(change);
                    if (FINAL_PHASES.contains(change.phase())) {
                        break;
                    }
                }
            }
            return changes;
        }
    }

    private Response send(String user, String method, String path, JsonNode body) {
        HttpRequest request = request(user, method, path, body).header("Accept", "application/json").build();
        HttpResponse<byte[]> response = retrying(() -> {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 502 || r.statusCode() == 503 || r.statusCode() == 504) {
                throw new IOException(method + " /" + path + " answered " + r.statusCode());
            }
            return r;
        }, method + " /" + path);
        byte[] bytes = response.body();
        JsonNode tree = bytes == null || bytes.length == 0 ? NullNode.getInstance() : readJson(new String(bytes, StandardCharsets.UTF_8));
        return new Response(response.statusCode(), tree);
    }

    private HttpRequest.Builder request(String user, String method, String path, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + tokens.forUser(user));
        if (body != null) {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder;
    }

    private interface Call<T> {
        T call() throws IOException, InterruptedException;
    }

    private <T> T retrying(Call<T> call, String what) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(100);
        while (true) {
            try {
                return call.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unreachable(what + ": interrupted", e);
            } catch (IOException e) {
                if (System.nanoTime() + pause - deadline > 0) {
                    throw new Unreachable("the broker at " + base + " did not answer " + what + " within " + retryFor + ": "
                            + e.getMessage(), e);
                }
                try {
                    new CountDownLatch(1).await(pause, TimeUnit.NANOSECONDS); // real time: the broker may be restarting
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new Unreachable(what + ": interrupted", interrupted);
                }
                pause = Math.min(pause * 2, TimeUnit.SECONDS.toNanos(2));
            }
        }
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return NullNode.getInstance();
        }
    }
}
