package orrery.sim.workload;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A workload, read or generated: its requests in their order, with submit times relative to its
 * start (the replay maps that start to a simulated instant), and what was left out on reading.
 *
 * @param source    where it came from (a file name, or the generator's parameters)
 * @param requests  in workload order: {@code requests.get(i).position() == i}, submit times never decreasing
 * @param skipped   lines or jobs left out, by reason, with how many
 * @param resources how many resources the source says its machine had (SWF {@code MaxProcs}, Batsim {@code nb_res}); null if it does not say
 */
public record Workload(String source, List<Request> requests, Map<String, Integer> skipped, Integer resources) {

    public Workload {
        Objects.requireNonNull(source, "source");
        requests = List.copyOf(requests);
        skipped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).position() != i) {
                throw new IllegalArgumentException("request " + requests.get(i).id() + " stands at " + i + " but says "
                        + requests.get(i).position());
            }
            if (i > 0 && requests.get(i).submit().compareTo(requests.get(i - 1).submit()) < 0) {
                throw new IllegalArgumentException("requests must come in submit order: " + requests.get(i).id() + " is before "
                        + requests.get(i - 1).id());
            }
        }
    }

    /** The first {@code n} requests only (all of them when there are no more). */
    public Workload limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a limit must not be negative, was " + n);
        }
        return n >= requests.size() ? this : new Workload(source + ", first " + n, requests.subList(0, n), skipped, resources);
    }

    /** How many lines or jobs were left out. */
    public int skippedCount() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** From the first submit to the last (zero for fewer than two requests). */
    public Duration submitSpan() {
        return requests.isEmpty() ? Duration.ZERO : requests.get(requests.size() - 1).submit().minus(requests.get(0).submit());
    }
}
