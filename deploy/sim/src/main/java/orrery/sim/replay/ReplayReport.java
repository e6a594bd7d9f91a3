package orrery.sim.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import orrery.sim.plot.Charts;
import orrery.sim.workload.Request;
import orrery.sim.workload.Workload;

/**
 * The report folder of a replay: {@code summary.json}, {@code bookings.csv} (one row per request)
 * and three charts, each as SVG and PNG: {@code capacity} (the pool's capacity, the cores
 * reserved and the cores running, over the simulated span), {@code requests-per-hour} (requests
 * and acceptances in each hour of the span, by submit time) and {@code wait-histogram} (wait from
 * request to the session's start).
 *
 * <p>Definitions: <b>reserved</b> at t = the cores of accepted bookings whose reservation covers t,
 * from the preparation's start to the booked end or the execution's final phase, whichever is first
 * (an execution that ends early gives the rest back); <b>running</b> at t = the cores of executions in
 * RUNNING at t; <b>utilisation</b> = core-hours reserved (or running) ÷ core-hours of capacity over the
 * span; <b>wait</b> = RUNNING − submit time; <b>lateness</b> = RUNNING − the booked start (late when
 * above zero); percentiles are nearest-rank.
 */
public final class ReplayReport {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a replay found, to report.
     *
     * @param pool     the pool's view ({@code GET /api/v1/pools/{pool}}: segments in unix seconds), or null when unknown
     * @param end      simulated time when the replay ended
     * @param advances how many times simulated time moved while the replay took part
     */
    public record Run(Workload workload, List<Booking> bookings, String poolName, JsonNode pool, Instant origin, Instant end,
                      long advances, long wallNanos, String policy, long seed) {
    }

    private ReplayReport() {
    }

    /** Writes the folder (made if needed); returns the summary's path. */
    public static Path write(Path dir, Run run) throws IOException {
        Files.createDirectories(dir);
        Path summary = dir.resolve("summary.json");
        Files.writeString(summary, JSON.writeValueAsString(summary(run)) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("bookings.csv"), csv(run.bookings()), StandardCharsets.UTF_8);
        plots(dir, run);
        return summary;
    }

    // --- summary.json ----------------------------------------------------------------------------

    public static ObjectNode summary(Run run) {
        List<Booking> bookings = run.bookings();
        ObjectNode s = NODES.objectNode();
        ObjectNode workload = s.putObject("workload");
        workload.put("source", run.workload().source());
        workload.put("requests", run.workload().requests().size());
        workload.put("skipped", run.workload().skippedCount());
        ObjectNode skipped = workload.putObject("skippedByReason");
        run.workload().skipped().forEach(skipped::put);
        s.put("accept", run.policy());
        s.put("seed", run.seed());
        long submitted = bookings.stream().filter(b -> b.answer() != null).count();
        s.put("bookings", submitted);
        ObjectNode sets = s.putObject("offerSets");
        sets.put("yes", count(bookings, b -> b.answer() == Booking.Answer.YES));
        sets.put("no", count(bookings, b -> b.answer() == Booking.Answer.NO));
        sets.put("errors", count(bookings, b -> b.answer() == Booking.Answer.ERROR));
        s.put("offersMade", bookings.stream().mapToLong(Booking::offers).sum());
        s.put("accepted", count(bookings, Booking::accepted));
        Map<String, Long> refusals = new TreeMap<>();
        for (Booking b : bookings) {
            if (b.answer() == Booking.Answer.NO) {
                refusals.merge("no: " + Reasons.key(b.reason()), 1L, Long::sum);
            } else if (b.answer() == Booking.Answer.ERROR) {
                refusals.merge("error: " + Reasons.key(b.reason()), 1L, Long::sum);
            } else if (b.answer() == Booking.Answer.YES && !b.accepted()) {
                refusals.merge("accept: " + Reasons.key(b.acceptProblem()), 1L, Long::sum);
            }
        }
        ObjectNode refused = s.putObject("refused");
        refused.put("total", refusals.values().stream().mapToLong(Long::longValue).sum());
        ObjectNode refusedBy = refused.putObject("byReason");
        sorted(refusals).forEach(refusedBy::put);
        ObjectNode cancels = s.putObject("cancels");
        cancels.put("asked", count(bookings, b -> b.cancelOutcome() != null));
        cancels.put("cancelled", count(bookings, b -> "cancelled".equals(b.cancelOutcome())));
        cancels.put("tooLate", count(bookings, b -> b.cancelOutcome() != null && b.cancelOutcome().startsWith("too late")));
        cancels.put("notAccepted", count(bookings, b -> b.cancelOutcome() != null && b.cancelOutcome().startsWith("nothing")));
        s.put("completed", count(bookings, b -> "COMPLETED".equals(b.finalPhase())));
        Map<String, Long> failures = new TreeMap<>();
        for (Booking b : bookings) {
            if ("FAILED".equals(b.finalPhase())) {
                failures.merge(Reasons.key(failureReason(b)), 1L, Long::sum);
            }
        }
        ObjectNode failed = s.putObject("failed");
        failed.put("total", failures.values().stream().mapToLong(Long::longValue).sum());
        ObjectNode failedBy = failed.putObject("byReason");
        sorted(failures).forEach(failedBy::put);
        s.put("cancelled", count(bookings, b -> "CANCELLED".equals(b.finalPhase())));
        s.put("unfinished", count(bookings, b -> b.accepted() && b.finalAt() == null));
        s.put("late", count(bookings, b -> b.lateness() != null && positive(b.lateness())));
        ObjectNode phases = s.putObject("finalPhases");
        new TreeMap<>(bookings.stream().filter(b -> b.finalPhase() != null)
                .collect(Collectors.groupingBy(Booking::finalPhase, Collectors.counting()))).forEach(phases::put);

        ObjectNode utilisation = s.putObject("poolUtilisation");
        utilisation.put("pool", run.poolName());
        StepCurve capacity = capacity(run.pool());
        double capacityCoreSeconds = capacity == null ? Double.NaN : capacity.integral(run.origin(), run.end());
        double reservedCoreSeconds = reserved(bookings).integral(run.origin(), run.end());
        double runningCoreSeconds = running(bookings, run.end()).integral(run.origin(), run.end());
        if (capacity != null) {
            utilisation.put("capacityCoreHours", round(capacityCoreSeconds / 3600, 3));
        } else {
            utilisation.putNull("capacityCoreHours");
        }
        utilisation.put("reservedCoreHours", round(reservedCoreSeconds / 3600, 3));
        utilisation.put("runningCoreHours", round(runningCoreSeconds / 3600, 3));
        putRatio(utilisation, "reserved", reservedCoreSeconds, capacityCoreSeconds);
        putRatio(utilisation, "running", runningCoreSeconds, capacityCoreSeconds);

        List<Duration> waits = bookings.stream().map(Booking::waitToStart).filter(d -> d != null).toList();
        ObjectNode wait = s.putObject("waitToStartSeconds");
        wait.put("count", waits.size());
        putPercentiles(wait, waits);
        List<Duration> lateness = bookings.stream().map(Booking::lateness).filter(d -> d != null).toList();
        ObjectNode late = s.putObject("latenessSeconds");
        late.put("count", lateness.size());
        late.put("late", lateness.stream().filter(ReplayReport::positive).count());
        putPercentiles(late, lateness);

        ObjectNode simulated = s.putObject("simulated");
        simulated.put("start", run.origin().toString());
        simulated.put("end", run.end().toString());
        double span = Duration.between(run.origin(), run.end()).toMillis() / 1000.0;
        simulated.put("spanSeconds", span);
        double wall = run.wallNanos() / 1e9;
        s.put("wallSeconds", round(wall, 3));
        s.put("speedUp", wall > 0 ? round(span / wall, 1) : 0);
        s.put("advances", run.advances());
        s.put("advancesPerSecond", wall > 0 ? round(run.advances() / wall, 1) : 0);
        s.put("historyDigest", HistoryDigest.of(run.origin(), bookings.stream().map(HistoryDigest::entry).toList()));
        return s;
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static String failureReason(Booking b) {
        if (b.finalReason() != null) {
            return b.finalReason();
        }
        for (int i = b.history().size() - 1; i >= 0; i--) {
            if (b.history().get(i).reason() != null) {
                return b.history().get(i).reason();
            }
        }
        return "no reason given";
    }

    private static long count(List<Booking> bookings, java.util.function.Predicate<Booking> p) {
        return bookings.stream().filter(p).count();
    }

    /** Most frequent first, then by name. */
    private static Map<String, Long> sorted(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static void putRatio(ObjectNode node, String name, double part, double whole) {
        if (Double.isNaN(whole) || whole <= 0) {
            node.putNull(name);
        } else {
            node.put(name, round(part / whole, 4));
        }
    }

    private static void putPercentiles(ObjectNode node, List<Duration> values) {
        List<Double> seconds = values.stream().map(d -> d.toMillis() / 1000.0).sorted().toList();
        if (seconds.isEmpty()) {
            node.putNull("p50");
            node.putNull("p95");
            node.putNull("max");
            return;
        }
        node.put("p50", percentile(seconds, 50));
        node.put("p95", percentile(seconds, 95));
        node.put("max", seconds.get(seconds.size() - 1));
    }

    /** Nearest rank: the smallest value with at least p% of the values at or below it. */
    static double percentile(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    // --- curves ----------------------------------------------------------------------------------

    /** The pool's capacity from its segments ({@code start_time}, {@code end_time} in unix seconds), or null when unknown. */
    static StepCurve capacity(JsonNode pool) {
        if (pool == null || !pool.path("segments").isArray()) {
            return null;
        }
        StepCurve curve = new StepCurve();
        for (JsonNode segment : pool.path("segments")) {
            curve.add(Instant.ofEpochSecond(segment.path("start_time").asLong()), Instant.ofEpochSecond(segment.path("end_time").asLong()),
                    segment.path("capacity").asLong());
        }
        return curve;
    }

    static StepCurve reserved(List<Booking> bookings) {
        StepCurve curve = new StepCurve();
        for (Booking b : bookings) {
            if (b.accepted() && b.preparingStart() != null) {
                Instant end = b.bookedEnd();
                Instant finalAt = b.finalAt();
                curve.add(b.preparingStart(), finalAt != null && finalAt.isBefore(end) ? finalAt : end, b.cores());
            }
        }
        return curve;
    }

    static StepCurve running(List<Booking> bookings, Instant end) {
        StepCurve curve = new StepCurve();
        for (Booking b : bookings) {
            Instant running = b.runningAt();
            if (running != null) {
                Instant stop = b.runningEnd();
                curve.add(running, stop == null ? end : stop, b.cores());
            }
        }
        return curve;
    }

    // --- bookings.csv ----------------------------------------------------------------------------

    static final List<String> CSV_COLUMNS = List.of("position", "id", "user", "submit_at", "cores_asked", "memory_asked", "duration_asked",
            "window", "items", "item_bytes", "kind", "fail_staging", "answer", "offers", "reason", "execution", "cores", "memory",
            "preparing_start", "start", "duration", "cancel_at", "cancel_outcome", "final_phase", "final_reason", "running_at",
            "running_end", "final_at", "wait_s", "lateness_s");

    public static String csv(List<Booking> bookings) {
        StringBuilder out = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (Booking b : bookings) {
            Request r = b.request();
            List<Object> row = new ArrayList<>();
            row.add(r.position());
            row.add(r.id());
            row.add(b.user());
            row.add(b.submitAt());
            row.add(r.cores());
            row.add(r.memory());
            row.add(r.duration());
            row.add(r.window());
            row.add(r.data().size());
            row.add(r.data().stream().mapToLong(Request.DataItem::size).sum());
            row.add(r.kind().name().toLowerCase(Locale.ROOT));
            row.add(r.failStaging());
            row.add(b.answer());
            row.add(b.offers());
            row.add(b.answer() == Booking.Answer.YES && !b.accepted() ? b.acceptProblem() : b.reason());
            row.add(b.execution());
            row.add(b.accepted() ? b.cores() : null);
            row.add(b.memory());
            row.add(b.preparingStart());
            row.add(b.start());
            row.add(b.duration());
            row.add(b.cancelAt());
            row.add(b.cancelOutcome());
            row.add(b.finalPhase());
            row.add("FAILED".equals(b.finalPhase()) ? failureReason(b) : null);
            row.add(b.runningAt());
            row.add(b.runningEnd());
            row.add(b.finalAt());
            row.add(b.waitToStart() == null ? null : b.waitToStart().toMillis() / 1000.0);
            row.add(b.lateness() == null ? null : b.lateness().toMillis() / 1000.0);
            out.append(row.stream().map(ReplayReport::cell).collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }

    /** RFC 4180: quoted when it holds a comma, a quote or a line break. */
    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    // --- plots -----------------------------------------------------------------------------------

    static void plots(Path dir, Run run) throws IOException {
        Instant from = run.origin();
        Instant to = run.end().isAfter(from) ? run.end() : from.plusSeconds(1);
        List<Charts.Series> series = new ArrayList<>();
        StepCurve capacity = capacity(run.pool());
        if (capacity != null) {
            double[][] c = capacity.plot(from, from, to);
            series.add(new Charts.Series("capacity (" + run.poolName() + ")", c[0], c[1]));
        }
        double[][] reserved = reserved(run.bookings()).plot(from, from, to);
        series.add(new Charts.Series("reserved", reserved[0], reserved[1]));
        double[][] running = running(run.bookings(), to).plot(from, from, to);
        series.add(new Charts.Series("running", running[0], running[1]));
        Charts.write(dir, "capacity", new Charts.Lines("Cores: capacity, reserved and running", "hours after " + from, "cores",
                series, true));

        int hours = (int) Math.max(1, Math.ceil(StepCurve.hours(from, to)));
        double[] xs = new double[hours + 1];
        double[] requests = new double[hours + 1];
        double[] accepted = new double[hours + 1];
        for (int h = 0; h <= hours; h++) {
            xs[h] = h;
        }
        for (Booking b : run.bookings()) {
            int h = (int) Math.floor(StepCurve.hours(from, b.submitAt()));
            if (h >= 0 && h < hours) {
                requests[h]++;
                if (b.accepted()) {
                    accepted[h]++;
                }
            }
        }
        requests[hours] = requests[hours - 1];
        accepted[hours] = accepted[hours - 1];
        Charts.write(dir, "requests-per-hour", new Charts.Lines("Requests and acceptances per hour", "hours after " + from,
                "per hour", List.of(new Charts.Series("requests", xs, requests), new Charts.Series("accepted", xs, accepted)), true));

        List<Double> waits = run.bookings().stream().map(Booking::waitToStart).filter(d -> d != null)
                .map(d -> d.toMillis() / 60_000.0).sorted().toList();
        double max = waits.isEmpty() ? 1 : Math.max(1, waits.get(waits.size() - 1));
        double width = Charts.roundStep(max, 24);
        int bins = (int) Math.max(1, Math.ceil(max / width + 1e-9));
        if (waits.size() > 0 && waits.get(waits.size() - 1) >= bins * width) {
            bins++;
        }
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = i * width;
        }
        long[] counts = new long[bins];
        for (double w : waits) {
            counts[(int) Math.min(bins - 1, Math.max(0, Math.floor(w / width)))]++;
        }
        Charts.write(dir, "wait-histogram", new Charts.Histogram("Wait from request to start (" + waits.size() + (waits.size() == 1 ? " session)" : " sessions)"),
                "minutes", "sessions", edges, counts));
    }
}
