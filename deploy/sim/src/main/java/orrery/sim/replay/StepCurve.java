package orrery.sim.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A step function of time (cores in use, capacity): a value that holds from each change to the
 * next, zero before the first; built from intervals that each add an amount while they last.
 */
final class StepCurve {

    private final TreeMap<Instant, Long> deltas = new TreeMap<>();

    /** Adds {@code amount} over [from, to) (nothing when the interval is empty). */
    StepCurve add(Instant from, Instant to, long amount) {
        if (from != null && to != null && from.isBefore(to) && amount != 0) {
            deltas.merge(from, amount, Long::sum);
            deltas.merge(to, -amount, Long::sum);
        }
        return this;
    }

    /** The changes as (instant, value from then on), in order. */
    List<Map.Entry<Instant, Long>> steps() {
        List<Map.Entry<Instant, Long>> steps = new ArrayList<>();
        long value = 0;
        for (Map.Entry<Instant, Long> d : deltas.entrySet()) {
            value += d.getValue();
            steps.add(Map.entry(d.getKey(), value));
        }
        return steps;
    }

    /** The value at {@code t}. */
    long at(Instant t) {
        long value = 0;
        for (Map.Entry<Instant, Long> d : deltas.headMap(t, true).entrySet()) {
            value += d.getValue();
        }
        return value;
    }

    /** The integral over [from, to), in value × seconds. */
    double integral(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            return 0;
        }
        double sum = 0;
        long value = at(from);
        Instant last = from;
        for (Map.Entry<Instant, Long> d : deltas.subMap(from, false, to, false).entrySet()) {
            sum += value * seconds(last, d.getKey());
            value += d.getValue();
            last = d.getKey();
        }
        return sum + value * seconds(last, to);
    }

    /** Hours after {@code origin} and the values, over [from, to], ready to plot as steps. */
    double[][] plot(Instant origin, Instant from, Instant to) {
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {hours(origin, from), at(from)});
        for (Map.Entry<Instant, Long> step : steps()) {
            if (step.getKey().isAfter(from) && step.getKey().isBefore(to)) {
                points.add(new double[] {hours(origin, step.getKey()), step.getValue()});
            }
        }
        points.add(new double[] {hours(origin, to), at(to)});
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        return new double[][] {xs, ys};
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toMillis() / 1000.0;
    }

    static double hours(Instant origin, Instant t) {
        return Duration.between(origin, t).toMillis() / 3_600_000.0;
    }
}
