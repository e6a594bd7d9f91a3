package orrery.sim.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import orrery.model.time.TimeSource;

/**
 * Runs the model in real time ({@code --real}): each machine ticks on a {@link TimeSource} timer
 * at its own rate and letters join its queue the moment NATS delivers them, so what a machine finds
 * on a tick depends on real scheduling, as in the classic multi-process model. Not repeatable. The
 * run starts at {@code settings.start()}, a wall-clock instant a moment ahead.
 */
public final class RealClock {

    private static final long SECOND = 1_000_000_000L;

    private final TimeSource time;
    private final LongSupplier wallNanos;

    public RealClock(TimeSource time, LongSupplier wallNanos) {
        this.time = time;
        this.wallNanos = wallNanos;
    }

    public RunOutcome run(ModelSettings settings, List<Machine> machines, Network.Factory networks, Recorder recorder)
            throws InterruptedException {
        long started = wallNanos.getAsLong();
        Duration length = settings.duration();
        int seconds = (int) length.toSeconds();
        CountDownLatch done = new CountDownLatch(machines.size() + 1);
        try (Network network = networks.open(letter -> machines.get(letter.to()).arrive(letter))) {
            Instant start = settings.start();
            for (Machine m : machines) {
                scheduleTick(m, 0, start, length, network, recorder, done);
            }
            scheduleSample(0, seconds, start, machines, recorder, done);
            if (!done.await(length.toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the real-time run did not finish within a minute of its end");
            }
            return new RunOutcome(settings, false, 0, network.sent(), wallNanos.getAsLong() - started, recorder.stats());
        }
    }

    private void scheduleTick(Machine m, long k, Instant start, Duration length, Network network, Recorder recorder,
                              CountDownLatch done) {
        long offset = k * SECOND / m.rate();
        if (offset >= length.toNanos()) {
            done.countDown();
            return;
        }
        time.schedule(start.plusNanos(offset), () -> {
            long at = Math.max(0, Duration.between(start, time.now()).toNanos());
            Machine.Tick t = m.tick(at);
            recorder.event(t.event());
            t.letters().forEach(network::send);
            scheduleTick(m, k + 1, start, length, network, recorder, done);
        });
    }

    private void scheduleSample(int second, int last, Instant start, List<Machine> machines, Recorder recorder,
                                CountDownLatch done) {
        time.schedule(start.plusSeconds(second), () -> {
            recorder.sample(second, machines);
            if (second < last) {
                scheduleSample(second + 1, last, start, machines, recorder, done);
            } else {
                done.countDown();
            }
        });
    }
}
