package orrery.model.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The real clock: {@link Clock#systemUTC()} and a small daemon scheduler. */
public final class SystemTimeSource implements TimeSource, AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    public SystemTimeSource() {
        this(Clock.systemUTC());
    }

    public SystemTimeSource(Clock clock) {
        this.clock = clock;
        String name = "orrery-time-" + INSTANCES.incrementAndGet();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Timer schedule(Instant at, Runnable action) {
        long delayNanos = Math.max(0, Duration.between(now(), at).toNanos());
        ScheduledFuture<?> future = scheduler.schedule(action, delayNanos, TimeUnit.NANOSECONDS);
        return new Timer() {
            @Override
            public Instant due() {
                return at;
            }

            @Override
            public boolean cancel() {
                return future.cancel(false);
            }
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
