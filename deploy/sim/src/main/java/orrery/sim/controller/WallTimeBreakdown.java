package orrery.sim.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the controller's real time went, by what held the clock: the participants it waited
 * for, JetStream, the checks themselves. For the end-of-run log line, so that a slow replay says
 * what to make faster (not thread-safe: only the controller's run loop uses it).
 */
final class WallTimeBreakdown {

    private final Map<String, Duration> spent = new LinkedHashMap<>();
    private Instant mark;
    private String current = "starting";

    WallTimeBreakdown(Instant start) {
        this.mark = start;
    }

    /** From now on, real time counts towards {@code category}; what passed since the last call counts towards the previous one. */
    void now(String category, Instant realNow) {
        spent.merge(current, Duration.between(mark, realNow), Duration::plus);
        mark = realNow;
        current = category;
    }

    /** The category of a wait: its reason with the participants' holdings and counts left out. */
    static String categoryOf(String why) {
        if (why.startsWith("JetStream:")) {
            return "JetStream not quiet";
        }
        if (why.startsWith("waiting for ") && !why.endsWith(" to join")) {
            return why.replaceAll(" \\([^;]*\\)", "").replace("; ", ", ");
        }
        return why;
    }

    /** The largest categories first, with their share of the total, e.g. "waiting for execution-broker 61.2 s (72%), ...". */
    String summary(int top) {
        double total = spent.values().stream().mapToLong(Duration::toNanos).sum();
        if (total == 0) {
            return "nothing measured";
        }
        return spent.entrySet().stream()
                .sorted(Map.Entry.<String, Duration>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .map(e -> String.format(Locale.ROOT, "%s %.1f s (%.0f%%)", e.getKey(), e.getValue().toMillis() / 1000.0,
                        100 * e.getValue().toNanos() / total))
                .collect(Collectors.joining("; "));
    }
}
