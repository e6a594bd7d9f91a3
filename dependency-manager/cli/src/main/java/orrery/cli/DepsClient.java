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
    private final String token;
    private final String tokenSource;

    /**
     * @param token the bearer token to send, or null to send none
     * @param tokenSource where the token came from ({@code --token} or {@code ORRERY_TOKEN}), for messages
     */
    DepsClient(String baseUrl, String token, String tokenSource) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.token = token;
        this.tokenSource = tokenSource;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    JsonNode getJson(String path) {
        return parse(send(request(path).header("Accept", "application/json").GET()));
    }

    String getText(String path) {
        return send(request(path).GET());
    }

    JsonNode postJson(String path, Object body) {
        try {
            return parse(send(request(path)
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
        HttpRequest request = request(path).header("Accept", "text/event-stream").GET().build();
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
            String body;
            try (Stream<String> lines = response.body()) {
                body = String.join("\n", (Iterable<String>) lines.limit(200)::iterator);
            }
            throw refusal(response.statusCode(), body, "events of " + path);
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
                throw refusal(response.statusCode(), response.body(), null);
            }
            return response.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }

    /** The error for an answer of {@code status}: the problem's title and detail, and what to do about a 401. */
    private ApiException refusal(int status, String body, String what) {
        String problem = problem(status, body);
        if (what != null) {
            problem = what + ": " + problem;
        }
        if (status == 401) {
            String advice = token == null
                    ? "the dependency manager needs to know who you are, and no token was given: set ORRERY_TOKEN "
                            + "(or --token) to a bearer JWT, e.g. export ORRERY_TOKEN=$(deploy/local/token.sh alice)"
                    : "the dependency manager did not accept the token from " + tokenSource + " (expired, signed by "
                            + "another issuer, or meant for another audience?): get a fresh one";
            return new ApiException(status, advice + " (" + problem + ")");
        }
        if (status == 403) {
            return new ApiException(status, "your token does not allow this (" + problem + ")");
        }
        return new ApiException(status, problem);
    }

    private String problem(int status, String body) {
        try {
            JsonNode problem = json.readTree(body == null ? "" : body);
            if (problem == null || !problem.isObject()) {
                return "HTTP " + status;
            }
            String title = problem.path("title").asText("HTTP " + status);
            String detail = problem.path("detail").asText("");
            return detail.isEmpty() ? title : title + ": " + detail;
        } catch (IOException e) {
            return "HTTP " + status;
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
