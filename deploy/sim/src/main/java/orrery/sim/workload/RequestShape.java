package orrery.sim.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What a workload's own format does not say about a request, drawn per request from the seed (the
 * same seed and position give the same draw, whatever else the workload holds): the start
 * window's width, the data to stage, notebook or command, and the failures and cancels the
 * replay plays out. The generator uses it for everything it makes; the SWF and Batsim readers for
 * what those formats leave out.
 *
 * @param windows      start-window widths (whole minutes)
 * @param items        how many data items to stage
 * @param itemSizes    their sizes in bytes (log-uniform)
 * @param notebookRate the share of notebook requests (the rest run a command)
 * @param failRate     the share whose staging fails its checks (the first item's, or the notebook's)
 * @param exitFailRate the share whose session exits with a non-zero status (1)
 * @param cancelRate   the share the user cancels, at a time uniform between the submit time and the latest booked end
 */
public record RequestShape(Range.Durations windows, Range.Longs items, Range.Longs itemSizes, double notebookRate,
                           double failRate, double exitFailRate, double cancelRate) {

    /** A window of one to four hours, up to two items of 1 MB to 2 GB, all commands, nothing fails or is cancelled. */
    public static final RequestShape FILES = new RequestShape(new Range.Durations(Duration.ofHours(1), Duration.ofHours(4)),
            new Range.Longs(0, 2), new Range.Longs(1_000_000, 2_000_000_000), 0, 0, 0, 0);

    public RequestShape {
        if (items.min() < 0 || items.max() > 64) {
            throw new IllegalArgumentException("data items per request are 0 to 64 (the broker's limit), not " + items);
        }
        if (itemSizes.min() < 0) {
            throw new IllegalArgumentException("item sizes must not be negative, was " + itemSizes);
        }
        Range.probability("the notebook rate", notebookRate);
        Range.probability("the failure rate", failRate);
        Range.probability("the exit-failure rate", exitFailRate);
        Range.probability("the cancel rate", cancelRate);
    }

    public RequestShape withRates(Double notebook, Double fail, Double exitFail, Double cancel) {
        return new RequestShape(windows, items, itemSizes, notebook == null ? notebookRate : notebook,
                fail == null ? failRate : fail, exitFail == null ? exitFailRate : exitFail, cancel == null ? cancelRate : cancel);
    }

    public RequestShape withWindows(Range.Durations w) {
        return w == null ? this : new RequestShape(w, items, itemSizes, notebookRate, failRate, exitFailRate, cancelRate);
    }

    public RequestShape withItems(Range.Longs count, Range.Longs sizes) {
        return new RequestShape(windows, count == null ? items : count, sizes == null ? itemSizes : sizes, notebookRate, failRate,
                exitFailRate, cancelRate);
    }

    /** The draws for one request. */
    public record Traits(Duration window, List<Request.DataItem> data, Request.Kind kind, boolean failStaging,
                         boolean exitFails, Double cancelFraction) {
    }

    /**
     * Draws the traits of the request at {@code position}, in a fixed order from a random source of
     * its own, so that a request's draws do not depend on the requests before it.
     */
    public Traits draw(long seed, int position) {
        Random random = random(seed, position, 0x5EED_0F_5A9EL);
        Duration window = windows.uniform(random, Duration.ofMinutes(1));
        int count = (int) items.uniform(random);
        List<Request.DataItem> data = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            data.add(new Request.DataItem("item-" + (i + 1) + ".dat", itemSizes.logUniform(random)));
        }
        Request.Kind kind = random.nextDouble() < notebookRate ? Request.Kind.NOTEBOOK : Request.Kind.COMMAND;
        boolean failStaging = random.nextDouble() < failRate;
        if (failStaging && data.isEmpty() && kind == Request.Kind.COMMAND) {
            data.add(new Request.DataItem("item-1.dat", itemSizes.logUniform(random))); // something to fail
        }
        boolean exitFails = random.nextDouble() < exitFailRate;
        double cancelDraw = random.nextDouble();
        double cancelAt = random.nextDouble();
        return new Traits(window, data, kind, failStaging, exitFails, cancelDraw < cancelRate ? cancelAt : null);
    }

    /** A random source of its own for ({@code seed}, {@code position}, {@code purpose}) (SplitMix64's mixer over the three). */
    static Random random(long seed, int position, long purpose) {
        long z = seed * 0x9E3779B97F4A7C15L + position * 0xBF58476D1CE4E5B9L + purpose;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }

    @Override
    public String toString() {
        return "windows " + windows + ", items " + items + " of " + itemSizes + " bytes, notebooks " + notebookRate + ", staging failures "
                + failRate + ", exit failures " + exitFailRate + ", cancels " + cancelRate;
    }
}
