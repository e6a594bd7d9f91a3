package orrery.broker.api.ivoa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import orrery.broker.api.OfferSetRequest;

/**
 * The standard's simple-volume-mounts as our volumes: a path inside the container where data
 * resources appear, read-only unless {@code mode} is READWRITE: the one resource at the path
 * itself (1.0.7's {@code resource}, or the draft's {@code cardinality: SINGLE}), else each under
 * its name in the directory at the path. Both shapes:
 * Calycopis 1.0.7 ({@code compute.volumes[]} of {@code {path, mode, resource}}) and the draft's
 * ({@code resources.volumes[]} of {@code {name, path, mode, resources: [...]}}, which
 * {@code compute.volumes} names). Only a container can have them; a volume of data that is not
 * staged is a reason for NO.
 */
final class IvoaVolumes {

    private IvoaVolumes() {
    }

    /** The volume list the document declares, wherever its dialect puts it; null when none. */
    static JsonNode declared(JsonNode body, JsonNode resources, JsonNode compute) {
        if (body.path("volumes").isArray()) {
            return body.get("volumes");
        }
        if (resources.path("volumes").isArray()) {
            return resources.get("volumes");
        }
        return compute != null && compute.path("volumes").isArray() ? compute.get("volumes") : null;
    }

    static List<OfferSetRequest.Volume> translate(JsonNode volumes, boolean container, List<String> staged,
                                                 List<String> unsupported) {
        List<OfferSetRequest.Volume> translated = new ArrayList<>();
        if (volumes == null || volumes.isEmpty()) {
            return translated;
        }
        if (!container) {
            unsupported.add("volume mounts need a docker-container executable; a notebook finds its data in its working "
                    + "directory (ORRERY_WORKDIR) under their names; ask without volumes");
            return translated;
        }
        for (JsonNode volume : volumes) {
            if (volume.isTextual()) {
                continue; // the draft's compute.volumes names a volume declared in resources.volumes
            }
            String path = volume.path("path").asText("");
            List<String> data = new ArrayList<>();
            if (volume.path("resource").isTextual()) {
                data.add(volume.get("resource").asText());
            }
            volume.path("resources").forEach(name -> data.add(name.asText()));
            List<String> missing = data.stream().filter(name -> !staged.contains(name)).toList();
            if (path.isBlank() || data.isEmpty() || !missing.isEmpty()) {
                unsupported.add("volume at '" + path + "' " + (data.isEmpty() ? "names no data resource"
                        : "names data that is not staged here: " + String.join(", ", missing)));
                continue;
            }
            // One resource by 'resource' (1.0.7) or cardinality SINGLE (the draft) is the file at the path; else a directory.
            boolean single = volume.path("resource").isTextual() || "SINGLE".equalsIgnoreCase(volume.path("cardinality").asText(""));
            translated.add(new OfferSetRequest.Volume(path, data, !"READWRITE".equalsIgnoreCase(volume.path("mode").asText("")),
                    single && data.size() == 1));
        }
        return translated;
    }
}
