package orrery.sim.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * Runs the model on simulated time, as the suite's controller does but within one process: time
 * jumps to the next instant at which some machine ticks, and only once every letter sent at the
 * last instant has come back from NATS (the network is quiet). Letters sent at an instant are
 * queued, in a fixed order (sender, then sequence), before the next instant, so a run is the same
 * from its seed every time, whatever order NATS delivered them in.
 *
 * <p>Machine {@code i} with rate {@code r} ticks at {@code k/r} seconds (k = 0, 1, ...), rounded
 * down to the nanosecond; machines with rates 1–6 share 12 distinct instants a second.
 */
public final class SimulatedClock {

    private static final long SECOND = 1_000_000_000L;

    private final Duration patience;
    private final LongSupplier wallNanos;
    private final Instants instants;

    /**
     * @param patience  how long to wait for letters to come back before the run fails
     * @param wallNanos the wall clock's nanosecond counter, for the outcome's wall time
     */
    public SimulatedClock(Duration patience, LongSupplier wallNanos) {
        this(patience, wallNanos, Instants.ALONE);
    }

    /** @param instants who else must agree before time moves (the suite's controller, when joined) */
    public SimulatedClock(Duration patience, LongSupplier wallNanos, Instants instants) {
        this.patience = patience;
        this.wallNanos = wallNanos;
        this.instants = instants;
    }

    /** Runs {@code settings} over a network that {@code networks} builds around a delivery callback. */
    public RunOutcome run(ModelSettings settings, List<Machine> machines, Network.Factory networks, Recorder recorder)
            throws InterruptedException {
        long started = wallNanos.getAsLong();
        long end = settings.duration().toNanos();
        int n = machines.size();
        long[] tick = new long[n];
        long[] rates = machines.stream().mapToLong(Machine::rate).toArray();
        Queue<Letter> arrived = new ConcurrentLinkedQueue<>();
        long advanced = 0;
        int second = 0;
        try (Network network = networks.open(arrived::add)) {
            while (true) {
                long now = nextInstant(tick, rates);
                for (; (long) second * SECOND <= Math.min(now, end); second++) {
                    recorder.sample(second, machines);
                }
                if (now >= end) {
                    instants.reach(end);
                    break;
                }
                instants.reach(now);
                for (int i = 0; i < n; i++) {
                    if (tickTime(tick[i], rates[i]) == now) {
                        Machine.Tick t = machines.get(i).tick(now);
                        recorder.event(t.event());
                        t.letters().forEach(network::send);
                        tick[i]++;
                    }
                }
                network.awaitDelivered(patience);
                queueInOrder(arrived, machines);
                advanced++;
            }
            return new RunOutcome(settings, true, advanced, network.sent(), wallNanos.getAsLong() - started,
                    recorder.stats());
        }
    }

    private static long nextInstant(long[] tick, long[] rates) {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < tick.length; i++) {
            next = Math.min(next, tickTime(tick[i], rates[i]));
        }
        return next;
    }

    static long tickTime(long k, long rate) {
        return k * SECOND / rate;
    }

    private static void queueInOrder(Queue<Letter> arrived, List<Machine> machines) {
        if (arrived.isEmpty()) {
            return;
        }
        List<Letter> letters = new ArrayList<>(arrived.size());
        for (Letter l; (l = arrived.poll()) != null; ) {
            letters.add(l);
        }
        letters.sort(Letter.ARRIVAL_ORDER);
        for (Letter l : letters) {
            machines.get(l.to()).arrive(l);
        }
    }
}
