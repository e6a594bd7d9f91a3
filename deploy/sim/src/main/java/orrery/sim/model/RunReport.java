package orrery.sim.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import orrery.model.json.Json;
import orrery.sim.plot.Charts;

/**
 * One run's files beside its logs: {@code summary.json}, {@code machines.csv} and the charts
 * (SVG and PNG): the logical clocks over time, their drift from each machine's own tick count,
 * the spread between machines, the queue lengths and the clock jumps.
 */
public final class RunReport {

    /** Machines drawn one line each in a chart; larger runs draw the first ones. */
    static final int PLOTTED = 10;

    private static final ObjectMapper JSON = Json.strictMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunReport() {
    }

    /** The charts a run's folder holds, by file name without extension. */
    public static final List<String> CHARTS = List.of("clocks", "drift", "spread", "queues", "jumps");

    public static void write(Path dir, RunOutcome run) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary(run));
        Files.writeString(dir.resolve("machines.csv"), machinesCsv(run), StandardCharsets.UTF_8);
        charts(dir, run);
    }

    static Map<String, Object> summary(RunOutcome run) {
        ModelSettings s = run.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", Map.of("machines", s.machines(), "rates", s.rates().isEmpty() ? s.minRate() + "-" + s.maxRate()
                : s.rates().toString(), "internalOutOf10", s.internal(), "duration", s.duration().toString(), "seed",
                s.seed(), "peers", s.peers().name().toLowerCase(Locale.ROOT), "vectorClocks", s.vectors()));
        m.put("clock", run.simulated() ? "simulated" : "real");
        m.put("wallSeconds", run.wallNanos() / 1e9);
        m.put("speedUp", run.speedUp());
        m.put("instants", run.instants());
        m.put("events", run.events());
        m.put("letters", run.letters());
        m.put("lettersPerWallSecond", run.lettersPerWallSecond());
        int last = run.seconds() - 1;
        m.put("finalSpread", last < 0 ? 0 : run.spreadAt(last));
        List<Map<String, Object>> machines = new ArrayList<>();
        List<Queueing> queueing = Queueing.of(run);
        for (MachineStats ms : run.machines()) {
            Queueing q = queueing.get(ms.machine());
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("machine", "m" + ms.machine());
            e.put("rate", ms.rate());
            e.put("ticks", ms.ticks());
            e.put("received", ms.received());
            e.put("sent", ms.sends());
            e.put("internal", ms.internals());
            e.put("letters", ms.letters());
            e.put("maxJump", ms.maxJump());
            e.put("meanJump", ms.meanJump());
            e.put("maxQueue", ms.maxQueue());
            e.put("finalClock", last < 0 ? 0 : ms.clockAt(last));
            e.put("finalDrift", last < 0 ? 0 : drift(ms, last));
            e.put("predictedArrivalPerSecond", q.predictedArrival());
            e.put("measuredArrivalPerSecond", q.measuredArrival());
            e.put("predictedQueueGrowthPerSecond", q.predictedGrowth());
            e.put("measuredQueueGrowthPerSecond", q.measuredGrowth());
            machines.add(e);
        }
        m.put("machines", machines);
        return m;
    }

    /** How far machine {@code m}'s logical clock is ahead of its own tick count at second {@code k}. */
    public static long drift(MachineStats m, int k) {
        return m.clockAt(k) - (long) m.rate() * k;
    }

    static String machinesCsv(RunOutcome run) {
        StringBuilder csv = new StringBuilder(
                "machine,rate,ticks,received,sent,internal,letters,max_jump,mean_jump,max_queue,final_clock,final_drift,"
                        + "predicted_arrival_per_s,measured_arrival_per_s,predicted_growth_per_s,measured_growth_per_s\n");
        int last = run.seconds() - 1;
        List<Queueing> queueing = Queueing.of(run);
        for (MachineStats m : run.machines()) {
            Queueing q = queueing.get(m.machine());
            csv.append(String.format(Locale.ROOT, "m%d,%d,%d,%d,%d,%d,%d,%d,%.3f,%d,%d,%d,%.3f,%.3f,%.3f,%.3f%n", m.machine(),
                    m.rate(), m.ticks(), m.received(), m.sends(), m.internals(), m.letters(), m.maxJump(), m.meanJump(),
                    m.maxQueue(), last < 0 ? 0 : m.clockAt(last), last < 0 ? 0 : drift(m, last), q.predictedArrival(),
                    q.measuredArrival(), q.predictedGrowth(), q.measuredGrowth()));
        }
        return csv.toString();
    }

    private static void charts(Path dir, RunOutcome run) throws IOException {
        String what = run.settings().describe();
        List<Charts.Series> clocks = new ArrayList<>();
        List<Charts.Series> drifts = new ArrayList<>();
        List<Charts.Series> queues = new ArrayList<>();
        int seconds = run.seconds();
        double[] xs = new double[seconds];
        for (int k = 0; k < seconds; k++) {
            xs[k] = k;
        }
        for (MachineStats m : run.machines().subList(0, Math.min(PLOTTED, run.machines().size()))) {
            double[] c = new double[seconds];
            double[] d = new double[seconds];
            double[] q = new double[seconds];
            for (int k = 0; k < seconds; k++) {
                c[k] = m.clockAt(k);
                d[k] = drift(m, k);
                q[k] = m.queueAt(k);
            }
            String name = "m" + m.machine() + " (" + m.rate() + "/s)";
            clocks.add(new Charts.Series(name, xs, c));
            drifts.add(new Charts.Series(name, xs, d));
            queues.add(new Charts.Series(name, xs, q));
        }
        double[] spread = new double[seconds];
        for (int k = 0; k < seconds; k++) {
            spread[k] = run.spreadAt(k);
        }
        Charts.write(dir, "clocks", new Charts.Lines("Lamport clocks: " + what, "seconds", "logical clock", clocks, false));
        Charts.write(dir, "drift", new Charts.Lines("Drift: logical clock minus own ticks", "seconds",
                "ticks ahead of own count", drifts, false));
        Charts.write(dir, "spread", new Charts.Lines("Spread: fastest minus slowest logical clock", "seconds",
                "logical clock difference", List.of(new Charts.Series("all machines", xs, spread)), false));
        Charts.write(dir, "queues", new Charts.Lines("Queue lengths", "seconds", "letters waiting", queues, true));
        Charts.write(dir, "jumps", jumpHistogram(run));
    }

    static Charts.Histogram jumpHistogram(RunOutcome run) {
        long max = 1;
        for (MachineStats m : run.machines()) {
            max = Math.max(max, m.maxJump());
        }
        long width = Math.max(1, (long) Math.ceil(max / 40.0));
        int bins = (int) ((max + width - 1) / width);
        double[] edges = new double[bins + 1];
        long[] counts = new long[bins];
        for (int b = 0; b <= bins; b++) {
            edges[b] = 0.5 + b * width;
        }
        for (MachineStats m : run.machines()) {
            for (Map.Entry<Long, Long> e : m.jumps().entrySet()) {
                counts[(int) ((e.getKey() - 1) / width)] += e.getValue();
            }
            counts[0] -= m.sends() + m.internals(); // those always move the clock by 1: only receives jump
        }
        return new Charts.Histogram("Logical clock jumps at receives, all machines", "jump (clock after − before)",
                "receives", edges, counts);
    }
}
