package orrery.broker.api.ivoa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import orrery.broker.api.OfferRequests;
import orrery.broker.api.OfferSetRequest;

/**
 * The standard's docker-container executable (Calycopis 1.0.7 {@code kinds/executable/docker-container.yaml}
 * and the draft {@code types/executable/docker-container-1.0}) as our {@code container}: the first of
 * {@code image.locations}, pinned by {@code image.digest}; {@code entrypoint}; {@code command} (a list,
 * or one string as one argument); {@code environment}. What we cannot give a container becomes a
 * reason for NO: privileged mode, published ports (sessions take no inbound connections), a platform
 * other than linux/amd64.
 */
final class IvoaContainers {

    private static final Set<String> AMD64 = Set.of("amd64", "x86_64", "x86-64");

    private IvoaContainers() {
    }

    /** Our container executable for {@code executable}, or null with the reasons added to {@code unsupported}. */
    static OfferSetRequest.Executable docker(JsonNode executable, List<String> unsupported) {
        int before = unsupported.size();
        JsonNode image = executable.path("image");
        JsonNode locations = image.path("locations");
        String location = locations.isArray() && locations.size() > 0 ? locations.get(0).asText(null)
                : image.isTextual() ? image.asText() : null;
        if (location == null || location.isBlank()) {
            unsupported.add("the docker-container names no image (image.locations is empty)");
        }
        if (executable.path("privileged").asBoolean(false)) {
            unsupported.add("privileged containers are not run here; ask without privileged");
        }
        JsonNode ports = executable.path("network").path("ports");
        if (ports.isArray() && ports.size() > 0) {
            unsupported.add("published network ports are not supported: sessions here take no inbound connections");
        }
        JsonNode platform = image.path("platform");
        String architecture = platform.path("architecture").asText("amd64").toLowerCase(Locale.ROOT);
        String os = platform.path("os").asText("linux").toLowerCase(Locale.ROOT);
        if (!AMD64.contains(architecture) || !"linux".equals(os)) {
            unsupported.add("this broker runs linux/amd64 images, not " + os + "/" + architecture);
        }
        if (unsupported.size() > before) {
            return null;
        }
        String digest = image.path("digest").isTextual() ? image.path("digest").asText() : null;
        String entrypoint = executable.path("entrypoint").isTextual() ? executable.path("entrypoint").asText() : null;
        return new OfferSetRequest.Executable(OfferRequests.CONTAINER, null, null, location, digest, entrypoint, null,
                command(executable.path("command")), environment(executable.path("environment")));
    }

    private static List<String> command(JsonNode command) {
        List<String> args = new ArrayList<>();
        if (command.isArray()) {
            command.forEach(arg -> args.add(arg.asText()));
        } else if (command.isTextual()) {
            args.add(command.asText());
        }
        return args;
    }

    private static Map<String, String> environment(JsonNode environment) {
        Map<String, String> env = new LinkedHashMap<>();
        if (environment.isObject()) {
            environment.fields().forEachRemaining(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        }
        return env;
    }
}
