package orrery.staging.domain;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Collectors;
import orrery.model.problem.ProblemException;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import orrery.model.staging.StagingQuote.ItemQuote;

/**
 * Turns what we know about each item (is it there, how big, how fast its host has been) into a
 * quote: a cost per item, and totals for staging one after another and with the service's
 * bounded concurrency. With a {@link TransferModel} (the simulated backend) an absent item costs
 * exactly what its simulated transfer takes and a present one nothing; measured rates are not used.
 */
public final class QuoteCalculator {

    private final QuotePolicy policy;
    private final TransferModel model;

    public QuoteCalculator(QuotePolicy policy) {
        this(policy, null);
    }

    /** Quotes from {@code model} when it is given (the simulated backend), else from rates and the policy. */
    public QuoteCalculator(QuotePolicy policy, TransferModel model) {
        this.policy = policy;
        this.model = model;
    }

    /** Whether quotes come from the simulated backend's model. */
    public boolean modelled() {
        return model != null;
    }

    /**
     * What is known about one item.
     *
     * @param presence null when the item could not be checked (see {@code error})
     * @param measuredBytesPerSecond the moving average for the item's source host, or null
     * @param error why the item cannot be staged at all, or null
     */
    public record ItemFacts(StagingItem item, Presence presence, String host, Double measuredBytesPerSecond, String error) {
    }

    public StagingQuote quote(List<ItemFacts> facts) {
        List<ItemQuote> items = new ArrayList<>();
        for (ItemFacts fact : facts) {
            items.add(quoteItem(fact));
        }
        boolean feasible = items.stream().allMatch(item -> item.error() == null);
        List<Duration> costs = items.stream().map(ItemQuote::cost).collect(Collectors.toList());
        Duration sequential = costs.stream().reduce(Duration.ZERO, Duration::plus);
        return new StagingQuote(items, sequential, parallel(costs, policy.concurrency()), feasible);
    }

    private ItemQuote quoteItem(ItemFacts fact) {
        String name = fact.item().name();
        if (fact.error() != null) {
            return new ItemQuote(name, false, Duration.ZERO, "cannot be staged", fact.error());
        }
        Presence presence = fact.presence();
        switch (presence.verdict()) {
            case PRESENT:
                return new ItemQuote(name, true, model != null ? Duration.ZERO : policy.presentCost(), presence.detail(),
                        null);
            case CONFLICT:
                return new ItemQuote(name, true, Duration.ZERO, "already there but different", presence.detail());
            default:
                break;
        }
        Long size = fact.item().checks().size();
        if (model != null) {
            try {
                TransferModel.failure(URI.create(fact.item().url()));
            } catch (ProblemException refused) {
                return new ItemQuote(name, false, Duration.ZERO, "cannot be staged", refused.getMessage());
            }
            long modelled = model.size(fact.item().checks());
            return new ItemQuote(name, false, model.duration(modelled), model.describe(modelled, size != null), null);
        }
        if (size == null) {
            return new ItemQuote(name, false, policy.unknownSizeCost(),
                    "size unknown; assumed " + policy.unknownSizeCost(), null);
        }
        boolean measured = fact.measuredBytesPerSecond() != null && fact.measuredBytesPerSecond() > 0;
        double rate = measured ? fact.measuredBytesPerSecond() : policy.defaultBytesPerSecond();
        Duration cost = policy.overhead().plus(Duration.ofMillis((long) Math.ceil(size / rate * 1000.0)));
        String reason = size + " bytes at " + humanRate(rate) + (measured ? " (measured from " + fact.host() + ")"
                : " (default rate; nothing measured from " + fact.host() + " yet)");
        return new ItemQuote(name, false, cost, reason, null);
    }

    /**
     * The makespan of the costs on {@code slots} parallel workers, scheduled longest first: Graham's
     * LPT rule ("Bounds on multiprocessing timing anomalies", 1969), each cost going to the worker
     * that finishes first. Within 4/3 of the optimum, exact for one slot or at most {@code slots}
     * items; O(n log n) for n items (the sort, then a heap of the slots).
     */
    static Duration parallel(List<Duration> costs, int slots) {
        PriorityQueue<Duration> finishing = new PriorityQueue<>();
        for (int i = 0; i < slots; i++) {
            finishing.add(Duration.ZERO);
        }
        costs.stream().sorted(Comparator.reverseOrder()).forEach(cost -> finishing.add(finishing.poll().plus(cost)));
        return finishing.stream().max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    }

    private static String humanRate(double bytesPerSecond) {
        if (bytesPerSecond >= 1e6) {
            return String.format("%.1f MB/s", bytesPerSecond / 1e6);
        }
        return String.format("%.1f kB/s", bytesPerSecond / 1e3);
    }
}
