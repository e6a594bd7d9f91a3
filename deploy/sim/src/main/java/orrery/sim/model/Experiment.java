package orrery.sim.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The lab programme ({@code orrery-sim model experiment}): groups of runs that differ in one
 * parameter, each repeated over several seeds, then a notebook that compares them.
 * <ol>
 *   <li>{@code default}: the classic model (3 machines, rates 1–6, 7 in 10 internal);</li>
 *   <li>{@code narrow-rates}: a smaller variation in clock rates, 3–4;</li>
 *   <li>{@code fewer-internal}: a smaller probability of internal events, 4 in 10;</li>
 *   <li>{@code slow-among-fast}: one machine at rate 1 beside two at rate 6 (its queue should grow);</li>
 *   <li>{@code twenty-machines}: 20 machines on a ring, where "to all" reaches 19.</li>
 * </ol>
 */
public final class Experiment {

    /** One group of runs. */
    public record Group(String name, String title, String question, ModelSettings settings) {
    }

    /** A group's run for one seed. */
    public record Run(Group group, long seed, Path dir, RunOutcome outcome) {
    }

    private Experiment() {
    }

    /** The programme, built on {@code base} (its duration, start and clock). */
    public static List<Group> programme(ModelSettings base) {
        ModelSettings classic = new ModelSettings(3, 1, 6, List.of(), 7, base.duration(), base.seed(), Peers.RING, true,
                base.start());
        return List.of(
                new Group("default", "The classic model", "How do logical clocks of machines at 1–6 ticks a second behave?",
                        classic),
                new Group("narrow-rates", "Smaller variation in clock rates (3–4)",
                        "Do jumps, drift and spread shrink when the machines run at nearly the same speed?",
                        classic.withRates(3, 4)),
                new Group("fewer-internal", "Fewer internal events (4 in 10)",
                        "What do more messages do to jumps and queues?", classic.withInternal(4)),
                new Group("slow-among-fast", "One slow machine among fast ones (rates 1, 6, 6)",
                        "Does a machine whose letters arrive faster than it ticks fall ever further behind?",
                        classic.withFixedRates(List.of(1, 6, 6))),
                new Group("twenty-machines", "Twenty machines (rates 1–6, ring partners)",
                        "What does \"send to all\" do when all is nineteen machines?", classic.withMachines(20)));
    }

    /**
     * Runs every group for seeds {@code 1..seeds} into {@code report/<group>/seed-<k>/}, writes
     * {@code runs.csv}, {@code machines.csv} and {@code notebook.md}; {@code discussion} (may be
     * null) is put in the notebook as it is.
     */
    public static List<Run> run(ModelRunner runner, List<Group> groups, int seeds, Path report, String discussion,
                                Consumer<String> progress) throws IOException, InterruptedException {
        Files.createDirectories(report);
        List<Run> runs = new ArrayList<>();
        for (Group g : groups) {
            for (long seed = 1; seed <= seeds; seed++) {
                Path dir = report.resolve(g.name()).resolve("seed-" + seed);
                RunOutcome outcome = runner.run(g.settings().withSeed(seed), dir, e -> {
                });
                runs.add(new Run(g, seed, dir, outcome));
                progress.accept(String.format(Locale.ROOT, "%-16s seed %d: %,d events, %,d letters, %.2f s wall", g.name(),
                        seed, outcome.events(), outcome.letters(), outcome.wallNanos() / 1e9));
            }
        }
        Files.writeString(report.resolve("runs.csv"), runsCsv(runs, report), StandardCharsets.UTF_8);
        Files.writeString(report.resolve("machines.csv"), machinesCsv(runs), StandardCharsets.UTF_8);
        Files.writeString(report.resolve("notebook.md"), Notebook.write(groups, runs, report, discussion),
                StandardCharsets.UTF_8);
        return runs;
    }

    /** The figures of one run that the across-run table compares. */
    static Map<String, Double> figures(RunOutcome o) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("max_jump", (double) o.machines().stream().mapToLong(MachineStats::maxJump).max().orElse(0));
        f.put("mean_receive_jump", o.machines().stream().mapToDouble(MachineStats::meanReceiveJump).average().orElse(0));
        f.put("max_queue", (double) o.machines().stream().mapToInt(MachineStats::maxQueue).max().orElse(0));
        int last = o.seconds() - 1;
        f.put("final_spread", last < 0 ? 0 : (double) o.spreadAt(last));
        long maxSpread = 0;
        for (int k = 0; k <= last; k++) {
            maxSpread = Math.max(maxSpread, o.spreadAt(k));
        }
        f.put("max_spread", (double) maxSpread);
        f.put("letters_per_second", o.letters() / (o.settings().duration().toNanos() / 1e9));
        f.put("received_share", o.machines().stream().mapToLong(MachineStats::received).sum() / (double) Math.max(1, o.events()));
        return f;
    }

    private static String runsCsv(List<Run> runs, Path report) {
        StringBuilder csv = new StringBuilder("group,seed,machines,rates,wall_seconds,events,letters");
        figures(runs.get(0).outcome()).keySet().forEach(k -> csv.append(',').append(k));
        csv.append(",folder\n");
        for (Run r : runs) {
            RunOutcome o = r.outcome();
            String rates = o.machines().stream().map(m -> Integer.toString(m.rate())).reduce((a, b) -> a + " " + b).orElse("");
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%.3f,%d,%d", r.group().name(), r.seed(),
                    o.machines().size(), rates, o.wallNanos() / 1e9, o.events(), o.letters()));
            figures(o).values().forEach(v -> csv.append(String.format(Locale.ROOT, ",%.3f", v)));
            csv.append(',').append(report.relativize(r.dir())).append('\n');
        }
        return csv.toString();
    }

    private static String machinesCsv(List<Run> runs) {
        StringBuilder csv = new StringBuilder();
        for (Run r : runs) {
            String[] lines = RunReport.machinesCsv(r.outcome()).split("\n");
            if (csv.length() == 0) {
                csv.append("group,seed,").append(lines[0]).append('\n');
            }
            for (int i = 1; i < lines.length; i++) {
                csv.append(r.group().name()).append(',').append(r.seed()).append(',').append(lines[i]).append('\n');
            }
        }
        return csv.toString();
    }
}
