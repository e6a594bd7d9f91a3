package orrery.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The dependency manager's REST API, over the JDK's HTTP client. */
final class DepsClient {

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    DepsClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    JsonNode getJson(String path) {
        return parse(send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json").GET()));
    }

    String getText(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode postJson(String path, Object body) {
        try {
            return parse(send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the server-sent events at {@code path}, handing each event's JSON data to
     * {@code handler} until it returns false or the stream ends.
     */
    void follow(String path, Predicate<JsonNode> handler) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
        if (response.statusCode() >= 400) {
            throw new ApiException(response.statusCode(), "events of " + path + ": HTTP " + response.statusCode());
        }
        try (Stream<String> lines = response.body()) {
            var it = lines.iterator();
            StringBuilder data = new StringBuilder();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && data.length() > 0) {
                    boolean more = handler.test(parse(data.toString()));
                    data.setLength(0);
                    if (!more) {
                        return;
                    }
                }
            }
            if (data.length() > 0) {
                handler.test(parse(data.toString()));
            }
        }
    }

    static String encodePath(String ref) {
        StringBuilder path = new StringBuilder();
        for (String segment : ref.split("/", -1)) {
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                throw new ApiException(response.statusCode(), problem(response));
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }

    private String problem(HttpResponse<String> response) {
        try {
            JsonNode problem = json.readTree(response.body());
            String title = problem.path("title").asText("HTTP " + response.statusCode());
            String detail = problem.path("detail").asText("");
            return detail.isEmpty() ? title : title + ": " + detail;
        } catch (IOException e) {
            return "HTTP " + response.statusCode();
        }
    }

    private ApiException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName() + " " + e.getMessage();
        return new ApiException(0, "cannot reach the dependency manager at " + base + " (" + why
                + "); set --url or ORRERY_DEPS_URL");
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new ApiException(0, "the dependency manager sent something that is not JSON: " + e.getMessage());
        }
    }
}
