package orrery.broker.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import orrery.broker.domain.Calendar;
import orrery.broker.domain.CapacityCalendar;
import orrery.broker.store.Ledgers;
import orrery.broker.store.OfferSetRows;
import orrery.broker.store.OfferSetRows.Stored;
import orrery.broker.store.ReservationEntity;
import orrery.model.time.TimeSource;

/**
 * Plans and stores offer sets a pool at a time, in batches. Every offer set must be planned under
 * its pool's lock (so that each offer can be kept); with one transaction per offer set, the pool's
 * lock is what limits the rate, whatever the cores. Here the offer sets that arrive for a pool while
 * its last batch is in the database wait for the next one: it takes the lock once, plans them one
 * after the other (each sees the offers held by those before it, exactly as if they had come one by
 * one), and stores them all in one statement and one commit. Across broker replicas the lock still
 * serialises the batches. A planning failure fails only its own offer set; a database failure fails
 * the batch, and nothing of it is stored.
 */
@ApplicationScoped
public class OfferBatches {

    /** The most offer sets one batch plans and stores. */
    static final int MOST = 32;

    private final Pool pool;
    private final Ledgers ledgers;
    private final OfferSetRows rows;
    private final TimeSource time;
    private final ConcurrentHashMap<String, Line> lines = new ConcurrentHashMap<>();

    /** How an offer set is planned: from the pool's calendar (with the batch's earlier offers in it) at {@code now}. */
    @FunctionalInterface
    public interface Planning {
        Stored plan(Calendar pool, Instant now);
    }

    /** One offer set waiting for its batch, and where to answer it. */
    private record Waiter(Planning planning, UniEmitter<? super Stored> answer, Context context) {

        void complete(Stored stored) {
            onContext(() -> answer.complete(stored));
        }

        void fail(Throwable failure) {
            onContext(() -> answer.fail(failure));
        }

        private void onContext(Runnable run) {
            if (context == null || context == Vertx.currentContext()) {
                run.run();
            } else {
                context.runOnContext(ignored -> run.run());
            }
        }
    }

    /**
     * One pool's queue; {@code running} while a batch of it is in the database. An idle line leaves
     * the map ({@code retired}), so that asking for pools that do not exist leaves nothing behind.
     */
    private static final class Line {
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
        boolean running;
        boolean retired;
    }

    /** What planning a batch came to: stored offer sets, and the waiters each belongs to. */
    private record Planned(List<Waiter> waiters, List<Stored> stored, List<Waiter> failed, List<RuntimeException> failures) {
    }

    public OfferBatches(Pool pool, Ledgers ledgers, OfferSetRows rows, TimeSource time) {
        this.pool = pool;
        this.ledgers = ledgers;
        this.rows = rows;
        this.time = time;
    }

    /** Plans and stores one offer set on {@code poolName} in the pool's next batch; what was stored. */
    public Uni<Stored> submit(String poolName, Planning planning) {
        return Uni.createFrom().emitter(answer -> {
            Waiter waiter = new Waiter(planning, answer, Vertx.currentContext());
            while (true) {
                Line line = lines.computeIfAbsent(poolName, name -> new Line());
                boolean start;
                synchronized (line) {
                    if (line.retired) {
                        continue; // it went idle and left the map just now: take the new one
                    }
                    line.waiting.add(waiter);
                    start = !line.running;
                    line.running = true;
                }
                if (start) {
                    runBatch(poolName, line);
                }
                return;
            }
        });
    }

    /** How many pools have offer sets waiting or in the database now (idle pools are forgotten). */
    public int busyPools() {
        return lines.size();
    }

    private void runBatch(String poolName, Line line) {
        List<Waiter> batch = new ArrayList<>();
        synchronized (line) {
            while (batch.size() < MOST && !line.waiting.isEmpty()) {
                batch.add(line.waiting.poll());
            }
        }
        // The next batch starts in a finally: an answer that throws must never leave the pool's queue
        // marked running with nobody to run it.
        pool.withTransaction(connection -> planAndStore(connection, poolName, batch)).subscribe().with(planned -> {
            try {
                answer(planned);
            } finally {
                next(poolName, line);
            }
        }, failure -> {
            try {
                batch.forEach(waiter -> waiter.fail(failure));
            } finally {
                next(poolName, line);
            }
        });
    }

    private static void answer(Planned planned) {
        for (int i = 0; i < planned.waiters().size(); i++) {
            planned.waiters().get(i).complete(planned.stored().get(i));
        }
        for (int i = 0; i < planned.failed().size(); i++) {
            planned.failed().get(i).fail(planned.failures().get(i));
        }
    }

    private void next(String poolName, Line line) {
        synchronized (line) {
            if (line.waiting.isEmpty()) {
                line.running = false;
                line.retired = true;
                lines.remove(poolName, line);
                return;
            }
        }
        runBatch(poolName, line);
    }

    private Uni<Planned> planAndStore(SqlConnection connection, String poolName, List<Waiter> batch) {
        Instant now = time.now();
        long from = now.getEpochSecond();
        return ledgers.lockAndCatchUp(connection, poolName, now)
                .chain(locked -> locked.ledger().answers(from)
                        ? Uni.createFrom().item(() -> locked.ledger().read(locked.schedule(), calendar -> plan(batch, calendar, now)))
                        : rows.activeFrom(connection, poolName, from, now)
                                .map(bookings -> plan(batch, new CapacityCalendar(locked.schedule(), bookings), now)))
                .call(planned -> planned.stored().isEmpty() ? Uni.createFrom().voidItem() : rows.insert(connection, poolName, planned.stored()));
    }

    /** Plans the batch's offer sets in order, each against the calendar with the offers held before it. */
    private static Planned plan(List<Waiter> batch, Calendar calendar, Instant now) {
        List<Waiter> planned = new ArrayList<>();
        List<Stored> stored = new ArrayList<>();
        List<Waiter> failed = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        Calendar sofar = calendar;
        for (Waiter waiter : batch) {
            Stored one;
            try {
                one = waiter.planning().plan(sofar, now);
            } catch (RuntimeException e) {
                failed.add(waiter);
                failures.add(e);
                continue;
            }
            for (ReservationEntity hold : one.holds()) {
                sofar = sofar.with(hold.booking());
            }
            planned.add(waiter);
            stored.add(one);
        }
        return new Planned(planned, stored, failed, failures);
    }
}
