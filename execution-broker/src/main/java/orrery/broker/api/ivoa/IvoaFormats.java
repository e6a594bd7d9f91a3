package orrery.broker.api.ivoa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import orrery.model.json.Json;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;

/**
 * The ExecutionBroker draft speaks JSON and YAML. Requests are read as YAML (which reads JSON
 * too); responses are YAML when the client asks for it, or sent YAML and asked for nothing, and
 * JSON otherwise. YAML strings are always quoted, so {@code "YES"}/{@code "NO"} stay strings for
 * YAML 1.1 parsers.
 */
final class IvoaFormats {

    static final MediaType YAML = new MediaType("application", "yaml");

    private static final ObjectMapper JSON = Json.configure(JsonMapper.builder().build());
    private static final ObjectMapper YAML_MAPPER = Json.configure(new YAMLMapper());

    private IvoaFormats() {
    }

    static JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            throw new ProblemException(Problem.of("malformed-request", 400, "The request body is empty",
                    "send the offer-set request as JSON or YAML"));
        }
        try {
            JsonNode tree = YAML_MAPPER.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new ProblemException(Problem.of("malformed-request", 400, "The request is not an object",
                        "the offer-set request must be a JSON or YAML mapping"));
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.of("malformed-request", 400, "The request is not valid JSON or YAML",
                    e.getOriginalMessage()));
        }
    }

    static boolean wantsYaml(HttpHeaders headers) {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        if (accept != null && !accept.isBlank() && !accept.contains("*/*")) {
            return accept.toLowerCase(Locale.ROOT).contains("yaml");
        }
        MediaType sent = headers.getMediaType();
        return sent != null && sent.getSubtype().toLowerCase(Locale.ROOT).contains("yaml");
    }

    static Response.ResponseBuilder render(Response.ResponseBuilder response, JsonNode body, boolean yaml) {
        try {
            return yaml ? response.type(YAML).entity(YAML_MAPPER.writeValueAsString(body))
                    : response.type(MediaType.APPLICATION_JSON_TYPE).entity(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
