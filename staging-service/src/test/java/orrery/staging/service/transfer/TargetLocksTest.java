package orrery.staging.service.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TargetLocksTest {

    private final TargetLocks locks = new TargetLocks();

    @Test
    void anEntryLivesOnlyWhileItsTargetIsHeld() {
        try (TargetLocks.Held held = locks.acquire("a")) {
            assertThat(locks.size()).isEqualTo(1);
        }
        assertThat(locks.size()).isZero();
    }

    @Test
    void manyDistinctTargetsLeaveNoEntriesBehind() {
        for (int i = 0; i < 10_000; i++) {
            try (TargetLocks.Held held = locks.acquire("home/alice/broker/e1/file-" + i)) {
                assertThat(locks.size()).isEqualTo(1);
            }
        }
        assertThat(locks.size()).isZero();
    }

    @Test
    void closingTwiceReleasesOnce() {
        TargetLocks.Held first = locks.acquire("a");
        first.close();
        try (TargetLocks.Held second = locks.acquire("a")) {
            first.close(); // a second release would drop the entry the second holder still holds

            assertThat(locks.size()).isEqualTo(1);
        }
        assertThat(locks.size()).isZero();
    }

    @Test
    void holdersOfOneTargetNeverOverlapAndTheMapEndsEmpty() throws Exception {
        int threads = 8;
        int rounds = 2_000;
        List<String> targets = List.of("a", "b", "c");
        ConcurrentHashMap<String, AtomicInteger> inside = new ConcurrentHashMap<>();
        targets.forEach(target -> inside.put(target, new AtomicInteger()));
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger maxEntries = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        // Shared targets contend; a fresh one per round is a target seen once.
                        String target = i % 2 == 0 ? targets.get((thread + i) % targets.size()) : "once-" + thread + "-" + i;
                        AtomicInteger count = inside.computeIfAbsent(target, k -> new AtomicInteger());
                        try (TargetLocks.Held held = locks.acquire(target)) {
                            if (count.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            maxEntries.accumulateAndGet(locks.size(), Math::max);
                            count.decrementAndGet();
                        }
                        if (!targets.contains(target)) {
                            inside.remove(target);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(overlaps).as("two holders of one target at once").hasValue(0);
        assertThat(maxEntries.get()).as("entries never exceed the threads holding or waiting").isLessThanOrEqualTo(threads);
        assertThat(locks.size()).isZero();
    }
}
