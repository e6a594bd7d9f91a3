package orrery.sim.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The experiment's Markdown notebook. Every sentence under "Observations" is computed from the
 * runs (nothing is written in advance); the discussion, if one is given, is a person's reading of
 * the same figures.
 */
final class Notebook {

    private Notebook() {
    }

    static String write(List<Experiment.Group> groups, List<Experiment.Run> runs, Path report, String discussion) {
        StringBuilder md = new StringBuilder();
        RunOutcome first = runs.get(0).outcome();
        long seeds = runs.stream().filter(r -> r.group() == runs.get(0).group()).count();
        md.append("# The asynchronous scale model: lab notebook\n\n");
        md.append(String.format(Locale.ROOT, "Written by `orrery-sim model experiment`: %d groups of %d runs (seeds 1–%d), "
                        + "%s each, on the %s clock, over NATS. Each run's folder holds the machines' logs (`machine-<i>.log`), "
                        + "`shiviz.log` where vector clocks were kept, `summary.json`, `machines.csv` and its charts "
                        + "(SVG and PNG). `runs.csv` and `machines.csv` here gather every run.\n\n",
                groups.size(), seeds, seeds, first.settings().duration(), first.simulated() ? "simulated" : "real"));
        md.append("The model: on each tick a machine takes one letter from its queue if there is one (clock := "
                + "max(own, carried) + 1), otherwise draws 1–10: a send to one partner, to the other, or to all "
                + "(clock + 1, the letter carries the new value), or an internal event (clock + 1). "
                + "Drift is a machine's logical clock minus its own tick count; spread is the fastest clock minus the "
                + "slowest at the same second.\n\n");
        acrossRuns(md, groups, runs);
        for (Experiment.Group g : groups) {
            group(md, g, runs.stream().filter(r -> r.group() == g).toList(), report);
        }
        queueing(md, runs);
        md.append("## Discussion\n\n");
        md.append(discussion == null || discussion.isBlank()
                ? "_No discussion was given (`--discussion <file.md>` puts one here)._\n" : discussion.strip() + "\n");
        return md.toString();
    }

    private static void acrossRuns(StringBuilder md, List<Experiment.Group> groups, List<Experiment.Run> runs) {
        md.append("## Across runs (mean ± standard deviation over seeds)\n\n");
        md.append("| group | runs | largest jump | mean jump at a receive | longest queue | final spread | largest spread "
                + "| letters per second | share of ticks that received |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Experiment.Group g : groups) {
            List<Map<String, Double>> f = runs.stream().filter(r -> r.group() == g).map(r -> Experiment.figures(r.outcome()))
                    .toList();
            md.append("| ").append(g.name()).append(" | ").append(f.size());
            for (String key : List.of("max_jump", "mean_receive_jump", "max_queue", "final_spread", "max_spread",
                    "letters_per_second", "received_share")) {
                md.append(" | ").append(meanSd(f.stream().mapToDouble(m -> m.get(key)).toArray()));
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    private static void group(StringBuilder md, Experiment.Group g, List<Experiment.Run> runs, Path report) {
        md.append("## ").append(g.title()).append(" (`").append(g.name()).append("`)\n\n");
        md.append("_").append(g.question()).append("_ Settings: ").append(g.settings().withSeed(1).describe()
                .replace(", seed 1", "")).append(".\n\n");
        md.append("| seed | rates | largest jump | longest queue | final spread | letters | wall time |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Experiment.Run r : runs) {
            RunOutcome o = r.outcome();
            MachineStats jump = o.machines().stream().max(Comparator.comparingLong(MachineStats::maxJump)).orElseThrow();
            MachineStats queue = o.machines().stream().max(Comparator.comparingInt(MachineStats::maxQueue)).orElseThrow();
            md.append(String.format(Locale.ROOT, "| %d | %s | %d (m%d, %d/s) | %d (m%d, %d/s) | %d | %,d | %.2f s |%n", r.seed(),
                    rates(o), jump.maxJump(), jump.machine(), jump.rate(), queue.maxQueue(), queue.machine(), queue.rate(),
                    o.spreadAt(o.seconds() - 1), o.letters(), o.wallNanos() / 1e9));
        }
        md.append("\n**Observations** (computed from the runs above):\n\n");
        observations(md, runs);
        Path charts = report.relativize(runs.get(0).dir());
        md.append("\nCharts of seed ").append(runs.get(0).seed()).append(":\n\n");
        for (String chart : RunReport.CHARTS) {
            md.append("![").append(chart).append("](").append(charts).append('/').append(chart).append(".svg)\n");
        }
        md.append('\n');
    }

    private static void observations(StringBuilder md, List<Experiment.Run> runs) {
        TreeMap<Integer, double[]> jumpByRate = new TreeMap<>();
        TreeMap<Integer, double[]> driftByRate = new TreeMap<>();
        int slowestHadLargest = 0;
        for (Experiment.Run r : runs) {
            RunOutcome o = r.outcome();
            int last = o.seconds() - 1;
            double seconds = Math.max(1, last);
            int lowest = o.machines().stream().mapToInt(MachineStats::rate).min().orElse(0);
            long largest = o.machines().stream().mapToLong(MachineStats::maxJump).max().orElse(0);
            if (o.machines().stream().anyMatch(m -> m.rate() == lowest && m.maxJump() == largest)) {
                slowestHadLargest++;
            }
            for (MachineStats m : o.machines()) {
                if (m.received() > 0) {
                    add(jumpByRate, m.rate(), m.meanReceiveJump());
                }
                add(driftByRate, m.rate(), RunReport.drift(m, last) / seconds);
            }
        }
        md.append("- Mean jump at a receive, by tick rate: ").append(byRate(jumpByRate, "%.2f")).append(" — ")
                .append(trend(jumpByRate)).append(".\n");
        md.append(String.format(Locale.ROOT, "- The largest jump of a run was on a machine with the run's lowest rate in %d of "
                + "%d runs.%n", slowestHadLargest, runs.size()));
        md.append("- Drift (logical clock gained over the machine's own ticks, per second), by tick rate: ")
                .append(byRate(driftByRate, "%.2f/s")).append(" — ").append(trend(driftByRate)).append(".\n");
        double[] half = runs.stream().mapToDouble(r -> r.outcome().spreadAt((r.outcome().seconds() - 1) / 2)).toArray();
        double[] end = runs.stream().mapToDouble(r -> r.outcome().spreadAt(r.outcome().seconds() - 1)).toArray();
        md.append("- Spread between the clocks at half time ").append(meanSd(half)).append(", at the end ")
                .append(meanSd(end)).append(": ").append(mean(end) > 1.5 * mean(half) + 2 ? "it keeps growing"
                        : "it stays about level").append(".\n");
        List<String> growing = new ArrayList<>();
        double worstRatio = 0;
        for (Experiment.Run r : runs) {
            for (Queueing q : Queueing.of(r.outcome())) {
                worstRatio = Math.max(worstRatio, q.measuredArrival() / q.tickRate());
                if (q.grows()) {
                    growing.add(String.format(Locale.ROOT, "m%d (%d/s) of seed %d: %.2f letters/s arrived against %d ticks/s, "
                                    + "queue grew %.2f/s (predicted %.2f/s)", q.machine(), q.tickRate(), r.seed(),
                            q.measuredArrival(), q.tickRate(), q.measuredGrowth(), q.predictedGrowth()));
                }
            }
        }
        if (growing.isEmpty()) {
            md.append(String.format(Locale.ROOT, "- No queue grew: letters arrived at most %.2f times as fast as the receiver "
                    + "ticked.%n", worstRatio));
        } else {
            int shown = Math.min(growing.size(), 6);
            md.append("- Queues that grew (slope over the second half ≥ 0.1/s): ").append(String.join("; ", growing.subList(0, shown)))
                    .append(shown < growing.size() ? "; and " + (growing.size() - shown) + " more (the queueing table below)" : "")
                    .append(".\n");
        }
    }

    private static void queueing(StringBuilder md, List<Experiment.Run> runs) {
        md.append("## The queueing prediction\n\n");
        md.append("A machine takes at most one letter per tick, so when letters arrive faster than it ticks its queue "
                + "should grow by about (arrival rate − tick rate) per second. The predicted arrival rate is "
                + "Σ r_j · e_j · p(j→i): each sender's tick rate, the share of its ticks that found its queue empty, and "
                + "the draw rule's chance of a letter to this machine. Machines whose predicted or measured "
                + "growth is at least 0.1/s:\n\n");
        md.append("| group | seed | machine | tick rate | predicted arrivals/s | measured arrivals/s | predicted growth/s "
                + "| measured growth/s |\n|---|---|---|---|---|---|---|---|\n");
        int rows = 0;
        for (Experiment.Run r : runs) {
            for (Queueing q : Queueing.of(r.outcome())) {
                if (q.grows() || q.predictedGrowth() >= 0.1) {
                    rows++;
                    md.append(String.format(Locale.ROOT, "| %s | %d | m%d | %d | %.2f | %.2f | %.2f | %.2f |%n", r.group().name(),
                            r.seed(), q.machine(), q.tickRate(), q.predictedArrival(), q.measuredArrival(),
                            q.predictedGrowth(), q.measuredGrowth()));
                }
            }
        }
        if (rows == 0) {
            md.append("| (none) | | | | | | | |\n");
        }
        md.append('\n');
    }

    private static void add(TreeMap<Integer, double[]> sums, int rate, double value) {
        double[] s = sums.computeIfAbsent(rate, k -> new double[2]);
        s[0] += value;
        s[1]++;
    }

    private static String byRate(TreeMap<Integer, double[]> sums, String format) {
        List<String> parts = new ArrayList<>();
        sums.forEach((rate, s) -> parts.add(rate + "/s → " + String.format(Locale.ROOT, format, s[0] / s[1])));
        return String.join(", ", parts);
    }

    /** Whether the means fall, rise or neither as the rate goes up. */
    private static String trend(TreeMap<Integer, double[]> sums) {
        double[] means = sums.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
        if (means.length < 2) {
            return "one rate only";
        }
        boolean falls = true;
        boolean rises = true;
        for (int i = 1; i < means.length; i++) {
            falls &= means[i] <= means[i - 1];
            rises &= means[i] >= means[i - 1];
        }
        return falls ? "falling as the rate rises" : rises ? "rising with the rate" : "not monotone in the rate";
    }

    private static String rates(RunOutcome o) {
        if (o.machines().size() > 6) {
            return o.machines().size() + " machines, " + o.machines().stream().mapToInt(MachineStats::rate).min().orElse(0)
                    + "–" + o.machines().stream().mapToInt(MachineStats::rate).max().orElse(0) + "/s";
        }
        return String.join(" ", o.machines().stream().map(m -> Integer.toString(m.rate())).toList());
    }

    static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return xs.length == 0 ? 0 : s / xs.length;
    }

    static String meanSd(double[] xs) {
        double m = mean(xs);
        double v = 0;
        for (double x : xs) {
            v += (x - m) * (x - m);
        }
        double sd = xs.length < 2 ? 0 : Math.sqrt(v / (xs.length - 1));
        return String.format(Locale.ROOT, "%.2f ± %.2f", m, sd);
    }

}
