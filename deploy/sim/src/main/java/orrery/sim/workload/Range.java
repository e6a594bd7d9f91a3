package orrery.sim.workload;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Random;

/**
 * Inclusive ranges for the generator's and the readers' parameters, written {@code min..max} (or
 * {@code min-max}, or one value for both ends): {@code 1..16}, {@code PT30M..PT4H}, {@code 0.5..1}.
 */
public final class Range {

    private Range() {
    }

    /** Whole numbers, e.g. cores {@code 1..16} or sizes in bytes {@code 1000000..2000000000}. */
    public record Longs(long min, long max) {
        public Longs {
            if (min > max) {
                throw new IllegalArgumentException("the range " + min + ".." + max + " is empty (its minimum is above its maximum)");
            }
        }

        public static Longs parse(String text) {
            String[] ends = ends(text);
            return new Longs(number(ends[0], text), number(ends[1], text));
        }

        /** Uniform in [min, max]. */
        public long uniform(Random random) {
            return max == min ? min : min + (long) StrictMath.floor(random.nextDouble() * (max - min + 1));
        }

        /** Spread evenly over orders of magnitude (sizes): log-uniform in [max(min, 1), max]. */
        public long logUniform(Random random) {
            double low = StrictMath.log(Math.max(min, 1));
            double high = StrictMath.log(Math.max(max, 1));
            long value = Math.round(StrictMath.exp(low + random.nextDouble() * (high - low)));
            return Math.max(min, Math.min(max, value));
        }

        @Override
        public String toString() {
            return min == max ? Long.toString(min) : min + ".." + max;
        }

        private static long number(String end, String whole) {
            try {
                return Long.parseLong(end.strip().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + whole + "' is not a range of whole numbers like 1..16");
            }
        }
    }

    /** Fractions, e.g. a runtime of {@code 0.5..1} of the booked duration. */
    public record Doubles(double min, double max) {
        public Doubles {
            if (!(min <= max) || Double.isNaN(min) || Double.isInfinite(max)) {
                throw new IllegalArgumentException("the range " + min + ".." + max + " is empty or not finite");
            }
        }

        public static Doubles parse(String text) {
            String[] ends = ends(text);
            try {
                return new Doubles(Double.parseDouble(ends[0].strip()), Double.parseDouble(ends[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a range of numbers like 0.5..1");
            }
        }

        /** Uniform in [min, max). */
        public double uniform(Random random) {
            return min + random.nextDouble() * (max - min);
        }

        @Override
        public String toString() {
            return min == max ? Double.toString(min) : min + ".." + max;
        }
    }

    /** Durations, ISO-8601 at both ends, e.g. {@code PT30M..PT4H}. */
    public record Durations(Duration min, Duration max) {
        public Durations {
            if (min.isNegative()) {
                throw new IllegalArgumentException("the range " + min + ".." + max + " starts below zero");
            }
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException("the range " + min + ".." + max + " is empty (its minimum is above its maximum)");
            }
        }

        public static Durations of(Duration both) {
            return new Durations(both, both);
        }

        public static Durations parse(String text) {
            String[] ends = ends(text);
            return new Durations(duration(ends[0], text), duration(ends[1], text));
        }

        /** Uniform in [min, max], in whole units of {@code step} (a range narrower than one step gives its minimum). */
        public Duration uniform(Random random, Duration step) {
            long steps = max.minus(min).toMillis() / step.toMillis();
            long k = steps == 0 ? 0 : (long) StrictMath.floor(random.nextDouble() * (steps + 1));
            return min.plus(step.multipliedBy(k));
        }

        @Override
        public String toString() {
            return min.equals(max) ? min.toString() : min + ".." + max;
        }

        private static Duration duration(String end, String whole) {
            try {
                return Duration.parse(end.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + whole + "' is not a range of ISO-8601 durations like PT30M..PT4H");
            }
        }
    }

    /** A rate between 0 and 1. */
    public static double probability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " is a probability from 0 to 1, was " + value);
        }
        return value;
    }

    private static String[] ends(String text) {
        String t = text.strip();
        int dots = t.indexOf("..");
        if (dots >= 0) {
            return new String[] {t.substring(0, dots), t.substring(dots + 2)};
        }
        int dash = t.indexOf('-', 1); // a leading '-' would be a sign
        if (dash > 0 && !t.substring(dash - 1, dash).equalsIgnoreCase("e")) {
            return new String[] {t.substring(0, dash), t.substring(dash + 1)};
        }
        return new String[] {t, t};
    }
}
