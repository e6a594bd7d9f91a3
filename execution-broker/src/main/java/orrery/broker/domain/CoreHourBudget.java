package orrery.broker.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A most-cost a client set (core-hours, or a price or carbon turned into core-hours on the pool's
 * table) applied before planning, so that no offer can exceed it: the cores are capped at what the
 * shortest acceptable run allows, then each window's longest run at what those cores allow; a
 * window whose shortest run at the fewest cores already costs more is dropped. Every offer then
 * has at most {@code maxCores × maxDuration ≤ budget} core-hours. It favours cores over hours
 * when both cannot be had.
 */
public final class CoreHourBudget {

    /** The ask within the budget, or why nothing within it was asked for. */
    public record Fitted(OfferAsk ask, String refusal) {
    }

    private CoreHourBudget() {
    }

    public static Fitted fit(OfferAsk ask, double budget, String what) {
        Duration shortest = ask.windows().stream().map(OfferAsk.Window::minDuration).min(Duration::compareTo).orElseThrow();
        int cores = (int) Math.min(ask.maxCores(), Math.floor(budget / hours(shortest) + 1e-9));
        if (cores < ask.minCores()) {
            return new Fitted(null, refusal(ask.minCores(), shortest, budget, what));
        }
        List<OfferAsk.Window> windows = new ArrayList<>();
        for (OfferAsk.Window window : ask.windows()) {
            Duration longest = Duration.ofSeconds((long) Math.floor(budget / cores * 3600 + 1e-6));
            Duration max = window.maxDuration().compareTo(longest) <= 0 ? window.maxDuration() : longest;
            if (max.compareTo(window.minDuration()) >= 0) {
                windows.add(new OfferAsk.Window(window.start(), window.minDuration(), max));
            }
        }
        if (windows.isEmpty()) {
            return new Fitted(null, refusal(ask.minCores(), shortest, budget, what));
        }
        return new Fitted(new OfferAsk(windows, ask.minCores(), cores, ask.minMemory(), ask.maxMemory()), null);
    }

    private static String refusal(int cores, Duration duration, double budget, String what) {
        return "the smallest session asked for, " + cores + " core" + (cores == 1 ? "" : "s") + " for " + duration
                + ", is " + round(cores * hours(duration)) + " core-hours, more than the " + round(budget)
                + " core-hours " + what + " allows";
    }

    private static double hours(Duration duration) {
        return duration.toMillis() / 3_600_000.0;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
