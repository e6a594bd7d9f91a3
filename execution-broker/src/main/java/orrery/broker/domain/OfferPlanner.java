package orrery.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import orrery.model.schedule.TimeInterval;

/**
 * Finds up to N offers the broker can keep for an ask.
 *
 * <p>Every offer starts inside one of the requested start windows (never after one ends), no
 * earlier than preparation allows ({@code start - preparation >= now}), and fits the pool's
 * calendar together with the offers chosen before it. Offers differ usefully: the earliest
 * start with as many cores as fit, the earliest start with all the cores asked for, later
 * starts within the windows (where capacity frees up, and spread across the window), and fewer
 * cores or a shorter run where that is what fits.
 */
public final class OfferPlanner {

    private final int maxOffers;
    private final Duration granularity;
    private final Duration horizon;

    /**
     * @param granularity offered starts are multiples of this (e.g. a minute)
     * @param horizon with no requested window, how far ahead to look
     */
    public OfferPlanner(int maxOffers, Duration granularity, Duration horizon) {
        if (maxOffers < 1) {
            throw new IllegalArgumentException("at least one offer");
        }
        this.maxOffers = maxOffers;
        this.granularity = granularity;
        this.horizon = horizon;
    }

    public OfferPlan plan(OfferAsk ask, Duration preparation, Instant now, Calendar calendar) {
        List<String> reasons = new ArrayList<>();
        Instant earliest = roundUp(now.plus(preparation));
        List<PlannedOffer> candidates = new ArrayList<>();
        for (OfferAsk.Window asked : ask.windows()) {
            TimeInterval window = asked.start() != null ? asked.start() : new TimeInterval(earliest, earliest.plus(horizon));
            Instant to = window.end();
            Instant from = later(window.start(), earliest);
            if (!window.isInstant() && !roundUp(from).isAfter(to)) {
                from = roundUp(from); // tidy starts where the window has room for them
            }
            if (from.isAfter(to)) {
                reasons.add("the start window " + window + " closes before preparation (" + preparation
                        + ") could finish; the earliest possible start is " + earliest);
                continue;
            }
            List<PlannedOffer> found = candidatesIn(ask, asked, preparation, from, to, calendar);
            if (found.isEmpty()) {
                reasons.add(whyNothingIn(ask, asked, window, from, calendar));
            }
            candidates.addAll(found);
        }
        List<PlannedOffer> chosen = choose(candidates, ask, calendar);
        if (chosen.isEmpty() && reasons.isEmpty()) {
            reasons.add("no start in the requested windows has " + ask.minCores() + " cores free");
        }
        return new OfferPlan(chosen, reasons);
    }

    private List<PlannedOffer> candidatesIn(OfferAsk ask, OfferAsk.Window asked, Duration preparation, Instant from,
                                            Instant to, Calendar calendar) {
        List<PlannedOffer> found = new ArrayList<>();
        for (Instant start : starts(from, to, calendar)) {
            for (Duration duration : durations(asked)) {
                long s = start.getEpochSecond();
                long e = start.plus(duration).getEpochSecond();
                if (!calendar.schedule().covers(s, e)) {
                    continue;
                }
                int cores = Math.min(ask.maxCores(), calendar.largestFree(s, e));
                if (cores >= ask.minCores()) {
                    found.add(new PlannedOffer(start, duration, preparation, cores, memoryFor(ask, cores)));
                    break; // the longest duration that fits at this start
                }
            }
        }
        return found;
    }

    /**
     * Starts worth trying: the window's first possible start, the first moments capacity may
     * change inside it (at most {@link PoolLedger#CHANGE_LIMIT}, so a busy pool costs no more than
     * a quiet one), and a few evenly spread ones, all rounded to the granularity and inside the window.
     */
    private Set<Instant> starts(Instant from, Instant to, Calendar calendar) {
        TreeSet<Instant> starts = new TreeSet<>();
        starts.add(from);
        for (long at : calendar.changes(from.getEpochSecond(), to.getEpochSecond() + 1, PoolLedger.CHANGE_LIMIT)) {
            Instant change = roundUp(Instant.ofEpochSecond(at));
            if (!change.isBefore(from) && !change.isAfter(to)) {
                starts.add(change);
            }
        }
        Duration width = Duration.between(from, to);
        for (int part = 1; part <= 3; part++) {
            Instant spread = roundDown(from.plus(width.multipliedBy(part).dividedBy(3)));
            if (!spread.isBefore(from) && !spread.isAfter(to)) {
                starts.add(spread);
            }
        }
        return starts;
    }

    private static List<Duration> durations(OfferAsk.Window asked) {
        Set<Duration> durations = new LinkedHashSet<>();
        durations.add(asked.maxDuration());
        durations.add(asked.minDuration());
        return new ArrayList<>(durations);
    }

    /**
     * Picks a varied handful: first the earliest offer with the most cores, then the earliest with
     * all the cores asked for, then the rest by start time; each must still fit beside those
     * already chosen, since every offer holds its own reservation.
     */
    private List<PlannedOffer> choose(List<PlannedOffer> candidates, OfferAsk ask, Calendar calendar) {
        List<PlannedOffer> order = new ArrayList<>();
        candidates.stream().min(Comparator.comparing(PlannedOffer::start)
                .thenComparing(Comparator.comparingInt(PlannedOffer::cores).reversed())).ifPresent(order::add);
        candidates.stream().filter(o -> o.cores() == ask.maxCores())
                .min(Comparator.comparing(PlannedOffer::start)).ifPresent(order::add);
        candidates.stream().sorted(Comparator.comparing(PlannedOffer::start)
                .thenComparing(Comparator.comparingInt(PlannedOffer::cores).reversed())).forEach(order::add);
        List<PlannedOffer> chosen = new ArrayList<>();
        Calendar holding = calendar;
        for (PlannedOffer offer : order) {
            if (chosen.size() == maxOffers) {
                break;
            }
            if (chosen.stream().anyMatch(c -> c.start().equals(offer.start()))) {
                continue; // one offer per start: variety, and not several holds on the same slot
            }
            Booking booking = offer.booking();
            int free = holding.largestFree(booking.start(), booking.end());
            if (free >= ask.minCores()) {
                int cores = Math.min(offer.cores(), free);
                PlannedOffer fitted = new PlannedOffer(offer.start(), offer.duration(), offer.preparation(), cores,
                        memoryFor(ask, cores));
                chosen.add(fitted);
                holding = holding.with(fitted.booking());
            }
        }
        chosen.sort(Comparator.comparing(PlannedOffer::start));
        return chosen;
    }

    private String whyNothingIn(OfferAsk ask, OfferAsk.Window asked, TimeInterval window, Instant from,
                                Calendar calendar) {
        long s = from.getEpochSecond();
        long e = from.plus(asked.minDuration()).getEpochSecond();
        if (!calendar.schedule().covers(s, e)) {
            return "the pool's schedule does not cover " + window + " (it covers "
                    + Instant.ofEpochSecond(calendar.schedule().start()) + " to " + Instant.ofEpochSecond(calendar.schedule().end())
                    + ")";
        }
        return "no start in " + window + " has " + ask.minCores() + " cores free for " + asked.minDuration()
                + "; at " + from + " at most " + calendar.largestFree(s, e) + " are free";
    }

    /** Memory scales with the cores offered, within the asked range. */
    private static int memoryFor(OfferAsk ask, int cores) {
        if (ask.maxCores() == ask.minCores()) {
            return ask.maxMemory();
        }
        double share = (double) (cores - ask.minCores()) / (ask.maxCores() - ask.minCores());
        return (int) Math.round(ask.minMemory() + share * (ask.maxMemory() - ask.minMemory()));
    }

    private Instant roundUp(Instant t) {
        long step = granularity.getSeconds();
        long seconds = t.getEpochSecond() + (t.getNano() > 0 ? 1 : 0);
        long rounded = ((seconds + step - 1) / step) * step;
        return Instant.ofEpochSecond(rounded);
    }

    private Instant roundDown(Instant t) {
        long step = granularity.getSeconds();
        return Instant.ofEpochSecond((t.getEpochSecond() / step) * step);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
