package orrery.sim.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Batsim's JSON workloads (Batsim documentation, "Workload", docs/input-workload.rst, and "Job
 * profiles", https://batsim.readthedocs.io/en/latest/input-workload.html):
 *
 * <pre>
 * {"nb_res": 4,
 *  "jobs": [{"id": "1", "subtime": 0.0, "res": 4, "walltime": 3600, "profile": "short"}, ...],
 *  "profiles": {"short": {"type": "delay", "delay": 1800}, ...}}
 * </pre>
 *
 * <p>A job must have {@code id} (a string, or a number in older workloads), {@code subtime}
 * (seconds), {@code res} (a positive number of resources) and {@code profile}; {@code walltime}
 * (seconds; absent or -1 when unlimited) is optional, and users may add any field. Read as:
 * submit time = {@code subtime}; cores = {@code res}; runtime = the profile's {@code delay} (a
 * {@code delay} profile, or a {@code composed} one made of delays: {@code repeat} × the sum of
 * its {@code seq}); duration = {@code walltime}, else the runtime, at least
 * {@link Drafts#MIN_DURATION}; user = a {@code user} (text) or {@code user_id} (number) field,
 * else {@code batsim-user}. Left out, and counted by reason: jobs without a usable
 * {@code subtime} or {@code res}, and jobs with neither a walltime nor a delay to book by.
 */
public final class BatsimReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BatsimReader() {
    }

    public static Workload read(Path file, RequestShape shape, long seed) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString(), shape, seed);
        }
    }

    public static Workload read(InputStream source, String name, RequestShape shape, long seed) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(source);
        } catch (JsonProcessingException e) {
            throw new WorkloadFormatException(name + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("jobs").isArray()) {
            throw new WorkloadFormatException(name + " is not a Batsim workload: it needs a \"jobs\" array "
                    + "({\"nb_res\": ..., \"jobs\": [{\"id\", \"subtime\", \"res\", \"profile\", \"walltime\"}], \"profiles\": {...}})");
        }
        JsonNode profiles = root.path("profiles");
        Integer resources = root.path("nb_res").canConvertToInt() && root.path("nb_res").asInt() > 0 ? root.path("nb_res").asInt() : null;
        List<Drafts.Draft> drafts = new ArrayList<>();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode job : root.path("jobs")) {
            index++;
            String id = job.path("id").isTextual() || job.path("id").isNumber() ? job.path("id").asText() : "#" + index;
            JsonNode subtime = job.path("subtime");
            if (!subtime.isNumber() || subtime.asDouble() < 0) {
                skipped.merge("no subtime of 0 or more", 1, Integer::sum);
                continue;
            }
            JsonNode res = job.path("res");
            if (!res.isNumber() || res.asDouble() < 1 || res.asDouble() != Math.rint(res.asDouble())) {
                skipped.merge("no res (a positive whole number of resources)", 1, Integer::sum);
                continue;
            }
            Double delay = delay(profiles, job.path("profile").asText(null), new HashSet<>());
            Duration runtime = delay == null ? null : Drafts.seconds(delay);
            JsonNode walltime = job.path("walltime");
            Duration duration = walltime.isNumber() && walltime.asDouble() > 0 ? Drafts.seconds(walltime.asDouble())
                    : runtime != null && runtime.compareTo(Duration.ZERO) > 0 ? runtime : null;
            if (duration == null) {
                skipped.merge("neither a walltime nor a delay profile to book by", 1, Integer::sum);
                continue;
            }
            drafts.add(new Drafts.Draft(id, user(job), Drafts.seconds(subtime.asDouble()), (int) Math.min(res.asLong(), Integer.MAX_VALUE),
                    null, duration, runtime, null, null));
        }
        return Drafts.workload(name + " (Batsim)", drafts, skipped, resources, shape, seed);
    }

    /** The seconds a profile takes when it is a delay (or made of delays); null when it is anything else or unknown. */
    private static Double delay(JsonNode profiles, String name, Set<String> seen) {
        if (name == null || !profiles.has(name) || !seen.add(name)) {
            return null;
        }
        JsonNode profile = profiles.get(name);
        String type = profile.path("type").asText("");
        if (type.equals("delay") && profile.path("delay").isNumber() && profile.path("delay").asDouble() >= 0) {
            return profile.path("delay").asDouble();
        }
        if (type.equals("composed") && profile.path("seq").isArray()) {
            double sum = 0;
            for (JsonNode part : profile.path("seq")) {
                Double d = delay(profiles, part.asText(null), new HashSet<>(seen));
                if (d == null) {
                    return null;
                }
                sum += d;
            }
            long repeat = profile.path("repeat").isNumber() ? profile.path("repeat").asLong() : 1;
            return repeat < 1 ? null : sum * repeat;
        }
        return null;
    }

    private static String user(JsonNode job) {
        JsonNode user = job.path("user");
        if (user.isTextual() && user.asText().matches("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}")) {
            return user.asText();
        }
        JsonNode userId = job.path("user_id");
        if (userId.isIntegralNumber() && userId.asLong() >= 0) {
            return "batsim-user-" + userId.asLong();
        }
        return "batsim-user";
    }
}
