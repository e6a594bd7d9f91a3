package orrery.staging.service.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import orrery.model.staging.Checks;
import orrery.model.time.ManualTimeSource;
import orrery.staging.backend.storage.SimulatedStagingStore;
import orrery.staging.domain.AddressPolicy;
import orrery.staging.domain.Backoff;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.StoredFile;
import orrery.staging.domain.TransferModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transfer engine in its simulated mode, on a manual clock: durations, slots, targets, cancels, failures. */
@Timeout(10)
class SimulatedTransfersTest {

    private static final Instant T0 = Instant.parse("2030-01-07T09:00:00Z");
    /** 1 MB/s: a transfer of N MB takes N seconds. */
    private static final TransferModel MODEL = new TransferModel(1_000_000, 4_000_000);

    private final ManualTimeSource clock = new ManualTimeSource(T0);
    private final SimulatedStagingStore store = new SimulatedStagingStore();
    private final SourcePolicy policy = new SourcePolicy(Set.of(".sim.invalid"), new AddressPolicy(false, false, false),
            List.of(), Set.of());
    private final List<Long> progress = new CopyOnWriteArrayList<>();
    private final TransferEngine engine = new TransferEngine(store, Map.of(), clock,
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1), 2, Duration.ofMillis(1), Duration.ofSeconds(1), MODEL);

    @AfterEach
    void close() {
        engine.close();
    }

    private CompletableFuture<TransferOutcome> submit(String taskId, String target, String url, Long size) {
        return engine.submit(new TransferSpec(taskId, target, policy.check(url), new Checks(size, null)),
                (done, total) -> progress.add(done));
    }

    @Test
    void aTransferCompletesExactlyAfterSizeOverRateAndIsThenPresent() {
        CompletableFuture<TransferOutcome> outcome = submit("t1", "home/a/broker/e/x.fits", "https://data.sim.invalid/x", 3_000_000L);

        assertThat(progress).as("progress once, at the start").containsExactly(0L);
        assertThat(clock.nextDue()).isEqualTo(T0.plusSeconds(3));
        clock.advanceTo(T0.plusSeconds(3).minusMillis(1));
        assertThat(outcome).isNotDone();
        assertThat(engine.isRunning("t1")).isTrue();

        clock.advanceTo(T0.plusSeconds(3));

        TransferOutcome.Completed done = (TransferOutcome.Completed) outcome.join();
        assertThat(done.transferred()).isTrue();
        assertThat(done.fetched()).isEqualTo(3_000_000L);
        assertThat(done.elapsed()).isEqualTo(Duration.ofSeconds(3));
        assertThat(engine.isRunning("t1")).isFalse();
        StoredFile file = store.stat("home/a/broker/e/x.fits").orElseThrow();
        assertThat(file).isEqualTo(done.file());
        TransferOutcome again = submit("t2", "home/a/broker/e/x.fits", "https://data.sim.invalid/x", 3_000_000L).join();
        assertThat(again).as("present: at once, nothing transferred")
                .isEqualTo(new TransferOutcome.Completed(file, false, 0, Duration.ZERO));
    }

    @Test
    void atMostTheSlotsRunAtOnceTheRestWaitInOrderAndOneTargetIsNeverTransferredTwice() {
        CompletableFuture<TransferOutcome> a = submit("a", "home/a/broker/e/a", "https://data.sim.invalid/a", 2_000_000L);
        CompletableFuture<TransferOutcome> sameTarget = submit("a2", "home/a/broker/e/a", "https://data.sim.invalid/a", 2_000_000L);
        CompletableFuture<TransferOutcome> b = submit("b", "home/a/broker/e/b", "https://data.sim.invalid/b", 5_000_000L);
        CompletableFuture<TransferOutcome> c = submit("c", "home/a/broker/e/c", "https://data.sim.invalid/c", null);

        clock.advanceTo(T0.plusSeconds(2));

        assertThat(a.join()).isInstanceOf(TransferOutcome.Completed.class);
        assertThat(sameTarget.join()).as("waited for a, then found its file")
                .isInstanceOfSatisfying(TransferOutcome.Completed.class, done -> assertThat(done.transferred()).isFalse());
        assertThat(c).as("c waits for a slot: it starts when a ends, and takes the default size").isNotDone();
        clock.advanceTo(T0.plusSeconds(5));
        assertThat(b.join()).isInstanceOf(TransferOutcome.Completed.class);
        assertThat(c).isNotDone();
        clock.advanceTo(T0.plusSeconds(6));
        assertThat(c.join()).isInstanceOfSatisfying(TransferOutcome.Completed.class,
                done -> assertThat(done.elapsed()).isEqualTo(Duration.ofSeconds(4)));
    }

    @Test
    void aCancelStopsTheTimerAndFreesTheSlot() {
        CompletableFuture<TransferOutcome> a = submit("a", "home/a/broker/e/a", "https://data.sim.invalid/a", 10_000_000L);
        submit("b", "home/a/broker/e/b", "https://data.sim.invalid/b", 10_000_000L);
        CompletableFuture<TransferOutcome> c = submit("c", "home/a/broker/e/c", "https://data.sim.invalid/c", 1_000_000L);

        assertThat(engine.cancel("a")).isTrue();

        assertThat(a.join()).isInstanceOf(TransferOutcome.Cancelled.class);
        assertThat(store.stat("home/a/broker/e/a")).isEmpty();
        clock.advanceTo(T0.plusSeconds(1));
        assertThat(c.join()).as("c took a's slot at once").isInstanceOf(TransferOutcome.Completed.class);
        assertThat(engine.cancel("a")).isFalse();
    }

    @Test
    void theWorkloadsFailuresComeWhenARealTransferWouldFindThem() {
        TransferOutcome missing = submit("m", "home/a/broker/e/m", "https://data.sim.invalid/m?sim-fail=missing", 1L).join();
        CompletableFuture<TransferOutcome> checksum = submit("k", "home/a/broker/e/k", "https://data.sim.invalid/k?sim-fail=checksum",
                2_000_000L);
        CompletableFuture<TransferOutcome> host = submit("h", "home/a/broker/e/h", "https://fail.sim.invalid/h", 3_000_000L);

        assertThat(missing).isInstanceOfSatisfying(TransferOutcome.Failed.class,
                failed -> assertThat(failed.reason()).contains("404"));
        assertThat(checksum).isNotDone();
        clock.advanceTo(T0.plusSeconds(3));
        assertThat(checksum.join()).isInstanceOfSatisfying(TransferOutcome.Failed.class,
                failed -> assertThat(failed.reason()).startsWith("MD5 mismatch"));
        assertThat(host.join()).isInstanceOfSatisfying(TransferOutcome.Failed.class,
                failed -> assertThat(failed.reason()).startsWith("MD5 mismatch"));
        assertThat(store.stat("home/a/broker/e/k")).as("nothing recorded for a failed transfer").isEmpty();
    }

    @Test
    void storeCallsRunAtOnceAndWriteNothing() {
        CompletableFuture<Boolean> made = engine.onWorker(() -> {
            store.ensureFolder("home/a/broker/e");
            return true;
        });

        assertThat(made).isCompletedWithValue(true);
        assertThat(store.hasFolder("home/a/broker/e")).isTrue();
    }
}
