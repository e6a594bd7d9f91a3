package orrery.model.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SystemTimeSourceTest {

    @Test
    void runsATimerNoEarlierThanItsDueTime() throws InterruptedException {
        try (SystemTimeSource time = new SystemTimeSource()) {
            Instant due = time.now().plusMillis(50);
            AtomicReference<Instant> ranAt = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);

            time.schedule(due, () -> {
                ranAt.set(time.now());
                ran.countDown();
            });

            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ranAt.get()).isAfterOrEqualTo(due);
        }
    }

    @Test
    void aCancelledTimerNeverRuns() throws InterruptedException {
        try (SystemTimeSource time = new SystemTimeSource()) {
            CountDownLatch ran = new CountDownLatch(1);
            TimeSource.Timer timer = time.scheduleAfter(Duration.ofMillis(200), ran::countDown);
            CountDownLatch marker = new CountDownLatch(1);
            time.scheduleAfter(Duration.ofMillis(400), marker::countDown);

            assertThat(timer.cancel()).isTrue();

            assertThat(marker.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.getCount()).isEqualTo(1);
        }
    }
}
