package orrery.broker.api.ivoa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import orrery.broker.api.OfferRequests;
import orrery.broker.api.OfferSetRequest;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.staging.Checks;

/**
 * Reads an offer-set request in any of the ExecutionBroker dialects and maps it onto our native
 * request, so both APIs share one implementation.
 *
 * <p>The dialects differ (see the module README): the type field is {@code type} (draft) or
 * {@code kind} (Calycopis v1.0), with values such as {@code uri:jupyter-notebook-0.1} or
 * {@code https://www.purl.org/ivoa.net/EB/schema/v1.0/types/executable/jupyter-notebook-1.0};
 * compute sits in {@code resources.compute[]} or a top-level {@code compute} (or, in the draft
 * examples, under its earlier name {@code computer}); sizes are
 * {@code {min, max}} or {@code {requested: {min, max}}}; a start is a string or a list; a
 * duration is a string or {@code {min, max}}; the notebook is {@code location} or
 * {@code notebook}; a docker container becomes our {@code container} ({@link IvoaContainers}).
 * What a dialect can say that we cannot do (a singularity container, a Rucio or SKAO data object)
 * becomes a NO with the reason, as the standard asks, rather than an error.
 */
final class IvoaRequests {

    private static final Set<String> TOP = Set.of("name", "description", "kind", "type", "meta", "executable", "resources",
            "compute", "computer", "storage", "volumes", "data", "schedule", "pool", "costs", "metrics");

    /** The native request, or why we must answer NO. */
    record Translation(OfferSetRequest request, List<String> unsupported) {
    }

    private IvoaRequests() {
    }

    static Translation translate(JsonNode body) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP.contains(name)) {
                throw new ProblemException(Problem.of("unknown-field", 400, "The request has a field this API does not know",
                        "unknown field '" + name + "'; allowed fields are " + String.join(", ", TOP.stream().sorted().toList()))
                        .with("field", name));
            }
        }
        List<String> unsupported = new ArrayList<>();
        JsonNode executable = body.path("executable");
        if (!executable.isObject()) {
            throw missing("executable");
        }
        String executableKind = kindOf(executable);
        OfferSetRequest.Executable nativeExecutable = null;
        if (executableKind.contains("jupyter-notebook")) {
            String location = text(executable, "location", text(executable, "notebook", null));
            if (location == null) {
                throw missing("executable.location");
            }
            nativeExecutable = new OfferSetRequest.Executable(OfferRequests.JUPYTER_NOTEBOOK,
                    new OfferSetRequest.Location(location), null, null, null, null, null);
        } else if (executableKind.contains("docker-container")) {
            nativeExecutable = IvoaContainers.docker(executable, unsupported);
        } else if (executableKind.contains("singularity-container")) {
            unsupported.add("singularity-container executables need apptainer, which none of this broker's backends "
                    + "runs yet; give the image as a docker-container (an OCI image) instead");
        } else {
            unsupported.add("executable type '" + executableKind + "' is not supported here; this broker runs "
                    + "jupyter-notebook and docker-container executables");
        }
        JsonNode resources = body.path("resources");
        JsonNode computes = resources.has("compute") ? resources.path("compute") : resources.path("computer");
        JsonNode compute = body.has("compute") ? body.get("compute") : body.has("computer") ? body.get("computer")
                : computes.isArray() && computes.size() > 0 ? computes.get(0)
                : computes.isObject() ? computes
                : null;
        if (computes.isArray() && computes.size() > 1) {
            unsupported.add("only one compute resource per session is supported");
        }
        JsonNode volumes = IvoaVolumes.declared(body, resources, compute);
        OfferSetRequest.Compute nativeCompute = compute == null ? null
                : new OfferSetRequest.Compute(range(compute.path("cores")), range(compute.path("memory")));
        List<OfferSetRequest.Data> data = new ArrayList<>();
        JsonNode dataList = body.has("data") ? body.get("data") : resources.path("data");
        for (JsonNode item : iterable(dataList)) {
            String kind = kindOf(item);
            String name = text(item, "name", text(item.path("meta"), "name", null));
            if (kind.contains("ivoa-data")) {
                IvoaData.Resolved resolved = IvoaData.resolve(item.path("ivoa"), name);
                if (resolved.url() == null) {
                    unsupported.add(resolved.why());
                } else {
                    data.add(new OfferSetRequest.Data(name != null ? name : fileName(resolved.url()),
                            new OfferSetRequest.Location(resolved.url()), resolved.checks()));
                }
                continue;
            }
            String location = text(item, "location", null);
            if (!kind.contains("simple-data") || location == null) {
                unsupported.add(IvoaData.unstageable(kind, name));
                continue;
            }
            data.add(new OfferSetRequest.Data(name != null ? name : fileName(location),
                    new OfferSetRequest.Location(location), checks(item)));
        }
        List<OfferSetRequest.Requested> requested = new ArrayList<>();
        JsonNode wanted = body.path("schedule").path("requested");
        for (JsonNode entry : wanted.isArray() ? wanted : List.of(wanted)) {
            if (entry.isMissingNode() || entry.isNull()) {
                continue;
            }
            OfferSetRequest.DurationRange duration = duration(entry.path("duration"));
            JsonNode start = entry.path("start");
            if (start.isArray() && start.size() > 0) {
                for (JsonNode one : start) {
                    requested.add(new OfferSetRequest.Requested(one.asText(), duration));
                }
            } else {
                requested.add(new OfferSetRequest.Requested(start.isTextual() ? start.asText() : null, duration));
            }
        }
        String name = text(body, "name", text(body.path("meta"), "name", null));
        String pool = text(body, "pool", null);
        OfferSetRequest.Limits limits = IvoaCosts.limits(body.path("costs"), body.path("metrics"), unsupported);
        List<OfferSetRequest.Volume> nativeVolumes = IvoaVolumes.translate(volumes, executableKind.contains("docker-container"),
                data.stream().map(OfferSetRequest.Data::name).toList(), unsupported);
        OfferSetRequest.Range storage = storage(body.has("storage") ? body.get("storage") : resources.path("storage"), unsupported);
        OfferSetRequest request = nativeExecutable == null ? null : new OfferSetRequest(name, nativeExecutable,
                new OfferSetRequest.Resources(nativeCompute == null ? null : List.of(nativeCompute), data, storage,
                        nativeVolumes),
                new OfferSetRequest.Schedule(requested), pool, limits);
        return new Translation(request, unsupported);
    }

    /**
     * The space the session needs in its folder: the simple-storage-resources' sizes (GiB) added up; another kind of
     * storage is a reason for NO.
     */
    private static OfferSetRequest.Range storage(JsonNode storage, List<String> unsupported) {
        int min = 0;
        int max = 0;
        boolean any = false;
        for (JsonNode item : storage.isArray() ? iterable(storage) : storage.isObject() ? List.of(storage) : List.<JsonNode>of()) {
            if (!kindOf(item).contains("simple-storage")) {
                unsupported.add("storage of type '" + kindOf(item) + "' is not offered here; ask for a simple-storage-resource "
                        + "(space in the session folder)");
                continue;
            }
            OfferSetRequest.Range size = range(item.path("size"));
            if (size != null) {
                any = true;
                min += size.min() != null ? size.min() : size.max();
                max += size.max() != null ? size.max() : size.min();
            }
        }
        return any ? new OfferSetRequest.Range(min, max) : null;
    }

    /** The component's type, from {@code kind} or {@code type}, lower-cased; "" when absent. */
    static String kindOf(JsonNode component) {
        String kind = text(component, "kind", text(component, "type", ""));
        return kind.toLowerCase(Locale.ROOT);
    }

    private static OfferSetRequest.Range range(JsonNode size) {
        if (size == null || size.isMissingNode() || size.isNull()) {
            return null;
        }
        JsonNode values = size.has("requested") ? size.get("requested") : size;
        Integer min = values.path("min").isNumber() ? values.path("min").asInt() : null;
        Integer max = values.path("max").isNumber() ? values.path("max").asInt() : null;
        return min == null && max == null ? null : new OfferSetRequest.Range(min, max);
    }

    private static OfferSetRequest.DurationRange duration(JsonNode duration) {
        if (duration.isTextual()) {
            return new OfferSetRequest.DurationRange(duration.asText(), duration.asText());
        }
        if (duration.isObject()) {
            return new OfferSetRequest.DurationRange(text(duration, "min", null), text(duration, "max", null));
        }
        return null;
    }

    private static Checks checks(JsonNode item) {
        JsonNode checksum = item.path("skao").path("checksum");
        if (checksum.isObject() && "md5".equalsIgnoreCase(checksum.path("type").asText())) {
            return new Checks(null, checksum.path("value").asText());
        }
        return null;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        List<JsonNode> list = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(list::add);
        }
        return list;
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : fallback;
    }

    private static String fileName(String url) {
        String tail = url.substring(url.lastIndexOf('/') + 1);
        return tail.isEmpty() ? "data" : tail;
    }

    private static ProblemException missing(String field) {
        return new ProblemException(Problem.of("missing-field", 400, "The request lacks a required field",
                "field '" + field + "' is required").with("field", field));
    }
}
