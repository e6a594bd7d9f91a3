package orrery.sim.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The queueing check: a machine takes at most one letter per tick, so if letters arrive faster
 * than it ticks its queue grows by about (arrival rate − tick rate) per second.
 *
 * <p>The predicted arrival rate comes from the other machines' tick rates and the draw rule: a
 * machine j that finds its queue empty on a share {@code e_j} of its ticks sends machine i a letter
 * on a tick with probability {@code p(j→i)} (the chance of drawing "one" if i is its one, "the
 * other" if i is its other, and "all"), so {@code λ_i = Σ_j r_j · e_j · p(j→i)}.
 *
 * @param machine          the machine
 * @param tickRate         its ticks per second
 * @param predictedArrival λ from the rates, the draw rule and the senders' measured idle shares
 * @param measuredArrival  letters that arrived per second
 * @param predictedGrowth  predicted arrival − tick rate, if positive (else 0: the queue stays short)
 * @param measuredGrowth   least-squares slope of the queue length over the run's second half
 */
public record Queueing(int machine, int tickRate, double predictedArrival, double measuredArrival, double predictedGrowth,
                       double measuredGrowth) {

    /** Whether the queue grew at a tenth of a letter per second or more. */
    public boolean grows() {
        return measuredGrowth >= 0.1;
    }

    /** The check for every machine of a run. */
    public static List<Queueing> of(RunOutcome run) {
        ModelSettings s = run.settings();
        double[] kind = kindShares(s.internal());
        int n = run.machines().size();
        double seconds = s.duration().toNanos() / 1e9;
        List<Queueing> checks = new ArrayList<>(n);
        for (MachineStats target : run.machines()) {
            double predicted = 0;
            for (MachineStats sender : run.machines()) {
                if (sender.machine() != target.machine()) {
                    predicted += sender.rate() * sender.idleShare() * chanceOfLetter(sender, target.machine(), kind, n);
                }
            }
            int last = target.samples() - 1;
            double measured = last < 0 ? 0 : target.arrivedBy(last) / seconds;
            checks.add(new Queueing(target.machine(), target.rate(), predicted, measured,
                    Math.max(0, predicted - target.rate()), secondHalfSlope(target)));
        }
        return checks;
    }

    /** The chance that one tick of an idle {@code sender} sends {@code receiver} a letter. */
    static double chanceOfLetter(MachineStats sender, int receiver, double[] kind, int machines) {
        int[] partners = sender.partners();
        double chance = kind[2]; // to all
        if (partners[0] == receiver) {
            chance += kind[0];
        }
        if (partners[1] == receiver) {
            chance += kind[1];
        }
        return machines < 2 ? 0 : chance;
    }

    /** The chance of each send kind (one, other, all) on an idle tick, by the draw rule of {@link Action}. */
    static double[] kindShares(int internal) {
        double[] share = new double[3];
        for (int draw = 1; draw <= 10; draw++) {
            Action a = Action.of(draw, internal);
            if (a != Action.INTERNAL) {
                share[a.ordinal()] += 0.1;
            }
        }
        return share;
    }

    static double secondHalfSlope(MachineStats m) {
        int from = m.samples() / 2;
        int count = m.samples() - from;
        if (count < 2) {
            return 0;
        }
        double meanX = 0;
        double meanY = 0;
        for (int k = from; k < m.samples(); k++) {
            meanX += k;
            meanY += m.queueAt(k);
        }
        meanX /= count;
        meanY /= count;
        double num = 0;
        double den = 0;
        for (int k = from; k < m.samples(); k++) {
            num += (k - meanX) * (m.queueAt(k) - meanY);
            den += (k - meanX) * (k - meanX);
        }
        return num / den;
    }
}
