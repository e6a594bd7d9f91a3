package orrery.broker.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import orrery.model.staging.Checks;

/**
 * {@code POST /api/v1/offersets}: "run this, with these resources, starting in one of these
 * windows". Unknown fields are refused.
 *
 * @param pool the compute pool to book on; the broker's default pool when absent
 * @param limits the most an offer may cost, or null
 */
public record OfferSetRequest(
        String name,
        @JsonProperty(required = true) Executable executable,
        Resources resources,
        Schedule schedule,
        String pool,
        Limits limits) {

    /** Without limits on what the offers may cost. */
    public OfferSetRequest(String name, Executable executable, Resources resources, Schedule schedule, String pool) {
        this(name, executable, resources, schedule, pool, null);
    }

    /**
     * The most an offer may cost, each optional: core-hours, a price (in the pool's currency) and
     * grams of CO2e. No offer exceeds any of them; a pool without a price charges nothing, and one
     * without a carbon intensity cannot keep a most-carbon (NO).
     */
    public record Limits(Double maxCoreHours, Double maxPrice, Double maxGramsCo2) {
    }

    /**
     * What to run: {@code jupyter-notebook} (the notebook at {@code location} is staged and run as a
     * notebook session), {@code command} ({@code cmd} and {@code args} run headless in the session
     * folder, with the optional {@code location} staged beside them) or {@code container} (the
     * {@code image}, pinned by {@code digest} when given, runs its own program, or {@code entrypoint}
     * with {@code args} as its command, with the session folder as its working directory).
     */
    public record Executable(
            @JsonProperty(required = true) String kind,
            Location location,
            Checks checks,
            String image,
            String digest,
            String entrypoint,
            String cmd,
            List<String> args,
            Map<String, String> env) {

        /** A notebook or command (no digest, no entrypoint). */
        public Executable(String kind, Location location, Checks checks, String image, String cmd, List<String> args,
                          Map<String, String> env) {
            this(kind, location, checks, image, null, null, cmd, args, env);
        }
    }

    /** Where a file comes from. */
    public record Location(@JsonProperty(required = true) String url) {
    }

    /**
     * Compute (one entry), data to stage, and the space the session needs in its folder ({@code storage},
     * GiB, a range; checked against the per-session quota and the data's known sizes).
     */
    public record Resources(List<Compute> compute, List<Data> data, Range storage, List<Volume> volumes) {

        public Resources(List<Compute> compute, List<Data> data) {
            this(compute, data, null, null);
        }
    }

    /**
     * Where staged files appear inside a container: each of {@code data} (staged items, by name) at
     * {@code path/<name>}, or, with {@code single} true, the one item at {@code path} itself;
     * read-only unless {@code readOnly} is false.
     */
    public record Volume(@JsonProperty(required = true) String path, @JsonProperty(required = true) List<String> data,
                         Boolean readOnly, Boolean single) {
    }

    /** Cores and memory (GB), each a range. */
    public record Compute(Range cores, Range memory) {
    }

    /** An inclusive range; a missing end means "the same as the other". */
    public record Range(Integer min, Integer max) {
    }

    /** A data file to stage into the session folder under {@code name}. */
    public record Data(
            @JsonProperty(required = true) String name,
            @JsonProperty(required = true) Location location,
            Checks checks) {
    }

    /** When: start windows, each with a duration range. */
    public record Schedule(List<Requested> requested) {
    }

    /**
     * One acceptable way to run.
     *
     * @param start an ISO-8601 start window ({@code 2024-08-30T09:45:00Z/PT1H}: start between 09:45
     *              and 10:45) or exact start; absent means "as soon as preparation allows"
     */
    public record Requested(String start, DurationRange duration) {
    }

    /** ISO-8601 durations, e.g. {@code PT2H}. */
    public record DurationRange(String min, String max) {
    }
}
