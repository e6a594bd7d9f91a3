package orrery.sim.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import orrery.model.messaging.Subjects;
import orrery.model.sim.SimTime;

/**
 * The broker's REST API as the replay uses it, written for the tests with the JDK's HTTP server:
 * each offer set gets two offers (the first starting 10 minutes into the window, the second 20),
 * an accepted offer is at once COMPLETED with a history made from its schedule; the token
 * {@code refused} gets 401 on every call. Each call is
 * recorded with the simulated time it arrived at, asked of the controller on {@code sim.now}.
 */
final class FakeBroker implements AutoCloseable {

    /** A call as it came: method, path, body, bearer token, and simulated time then. */
    record Call(String method, String path, JsonNode body, String token, Instant simulatedAt) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final Connection nats;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> offers = new ConcurrentHashMap<>();

    FakeBroker(Connection nats) throws IOException {
        this.nats = nats;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Call> calls(String method, String pathStart) {
        return calls.stream().filter(c -> c.method().equals(method) && c.path().startsWith(pathStart)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] in = exchange.getRequestBody().readAllBytes();
            JsonNode body = in.length == 0 ? null : json.readTree(in);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            calls.add(new Call(method, path, body, auth == null ? null : auth.replaceFirst("^Bearer ", ""), simulatedNow()));
            if ("Bearer refused".equals(auth)) {
                send(exchange, 401, "{\"type\": \"urn:orrery:problem:unauthenticated\", \"status\": 401, \"detail\": \"the token's signature does not verify\"}");
            } else if (method.equals("GET") && path.startsWith("/api/v1/pools/")) {
                send(exchange, 200, "{\"name\": \"default\", \"segments\": [{\"start_time\": 0, \"end_time\": 4102444800, \"capacity\": 64}]}");
            } else if (method.equals("POST") && path.equals("/api/v1/offersets")) {
                send(exchange, 201, offerSet(body).toString());
            } else if (method.equals("POST") && path.endsWith("/accept")) {
                ObjectNode offer = offers.get(id(path));
                offer.put("phase", "ACCEPTED");
                send(exchange, 200, offer.toString());
            } else if (method.equals("POST") && path.endsWith("/cancel")) {
                ObjectNode offer = offers.get(id(path));
                offer.put("phase", "CANCELLED");
                send(exchange, 200, offer.toString());
            } else if (method.equals("GET") && path.endsWith("/events")) {
                sendEvents(exchange, offers.get(id(path)));
            } else if (method.equals("GET") && path.startsWith("/api/v1/executions/")) {
                ObjectNode view = offers.get(path.substring("/api/v1/executions/".length())).deepCopy();
                if (view.path("phase").asText().equals("ACCEPTED")) {
                    view.put("phase", "COMPLETED");
                }
                send(exchange, 200, view.toString());
            } else {
                send(exchange, 404, "{\"type\": \"urn:orrery:problem:not-found\", \"status\": 404}");
            }
        }
    }

    private ObjectNode offerSet(JsonNode request) {
        String window = request.path("schedule").path("requested").get(0).path("start").asText();
        Instant open = Instant.parse(window.split("/")[0]);
        String duration = request.path("schedule").path("requested").get(0).path("duration").path("min").asText();
        ObjectNode set = json.createObjectNode();
        set.put("id", UUID.randomUUID().toString());
        set.put("result", "YES");
        var list = set.putArray("offers");
        for (int i = 1; i <= 2; i++) {
            ObjectNode offer = list.addObject();
            String id = UUID.randomUUID().toString();
            offer.put("id", id);
            offer.put("phase", "OFFERED");
            ObjectNode schedule = offer.putObject("schedule");
            Instant start = open.plus(Duration.ofMinutes(10L * i));
            schedule.putObject("preparing").put("start", start.minus(Duration.ofMinutes(2)).toString()).put("duration", "PT2M");
            schedule.putObject("executing").put("start", start.toString()).put("duration", duration);
            offer.putObject("compute").put("cores", request.path("resources").path("compute").get(0).path("cores").path("min").asInt())
                    .put("memory", 2);
            offers.put(id, offer.deepCopy());
        }
        set.putArray("reasons");
        return set;
    }

    private void sendEvents(HttpExchange exchange, ObjectNode offer) throws IOException {
        Instant start = Instant.parse(offer.path("schedule").path("executing").path("start").asText());
        Instant end = start.plus(Duration.parse(offer.path("schedule").path("executing").path("duration").asText()));
        Instant prep = Instant.parse(offer.path("schedule").path("preparing").path("start").asText());
        boolean cancelled = offer.path("phase").asText().equals("CANCELLED");
        List<Object[]> phases = cancelled ? List.of(new Object[] {"OFFERED", prep}, new Object[] {"CANCELLED", prep})
                : List.of(new Object[] {"OFFERED", prep}, new Object[] {"ACCEPTED", prep}, new Object[] {"PREPARING", prep},
                        new Object[] {"RUNNING", start}, new Object[] {"FINISHING", end}, new Object[] {"COMPLETED", end});
        StringBuilder sse = new StringBuilder();
        for (Object[] p : phases) {
            sse.append("data:{\"execution\":\"").append(offer.path("id").asText()).append("\",\"phase\":\"").append(p[0])
                    .append("\",\"at\":\"").append(p[1]).append("\",\"lamport\":1}\n\n");
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        send(exchange, 200, sse.toString());
    }

    private Instant simulatedNow() {
        try {
            Message reply = nats.request(Subjects.SIM_NOW, new byte[0], Duration.ofSeconds(2));
            return reply == null ? null : orrery.model.json.Json.strictMapper().readValue(reply.getData(), SimTime.class).now();
        } catch (Exception e) {
            return null;
        }
    }

    private static String id(String path) {
        String[] parts = path.split("/");
        return parts[4];
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
