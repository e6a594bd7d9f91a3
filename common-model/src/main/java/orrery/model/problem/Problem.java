package orrery.model.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An RFC 9457 problem detail, the body of every Orrery error response
 * ({@code application/problem+json}).
 *
 * <p>{@code type} is a stable URN per cause ({@code urn:orrery:problem:<slug>}) that clients can
 * switch on; {@code title} is the short human summary of that type; {@code detail} says what was
 * wrong with this request and how to fix it. Extra members (such as {@code field} or
 * {@code alternatives}) travel as extensions at the top level, as the RFC asks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:orrery:problem:";

    private static final Set<String> RESERVED = Set.of("type", "title", "status", "detail", "instance");

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        extensions = extensions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        for (String key : extensions.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("extension '" + key + "' would hide a standard member");
            }
        }
    }

    /** A problem of type {@code urn:orrery:problem:<slug>}. */
    public static Problem of(String slug, int status, String title, String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, null, Map.of());
    }

    /** This problem with one more extension member. */
    public Problem with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Problem(type, title, status, detail, instance, more);
    }

    /** This problem, about the resource at {@code path}. */
    public Problem at(String path) {
        return new Problem(type, title, status, detail, path, extensions);
    }

    /** The slug at the end of the type URN. */
    public String slug() {
        return type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
    }

    @JsonAnyGetter
    Map<String, Object> members() {
        return extensions;
    }
}
