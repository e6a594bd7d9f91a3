package orrery.model.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class LamportClockProperties {

    /** An operation on a clock: a local tick (null) or a merge of a received value. */
    @Provide
    Arbitrary<List<Long>> operations() {
        Arbitrary<Long> op = Arbitraries.longs().between(0, 1_000_000).injectNull(0.4);
        return op.list().ofMaxSize(200);
    }

    @Property
    void everyOperationStrictlyIncreasesTheClock(@ForAll("operations") List<Long> operations) {
        LamportClock clock = new LamportClock();
        long previous = clock.current();
        for (Long received : operations) {
            long next = received == null ? clock.tick() : clock.merge(received);
            assertThat(next).isGreaterThan(previous);
            assertThat(clock.current()).isEqualTo(next);
            previous = next;
        }
    }

    @Property
    void mergeMovesPastTheReceivedValue(@ForAll @LongRange(min = 0, max = 1_000_000_000L) long local,
                                         @ForAll @LongRange(min = 0, max = 1_000_000_000L) long received) {
        LamportClock clock = new LamportClock(local);

        long merged = clock.merge(received);

        assertThat(merged).isEqualTo(Math.max(local, received) + 1);
        assertThat(merged).isGreaterThan(received).isGreaterThan(local);
    }

    @Property
    void aMessagePassedOnIsAlwaysLaterThanItsCause(@ForAll @Size(min = 1, max = 50) List<@LongRange(min = 0, max = 30) Long> hops) {
        // A chain of services, each ticking some times locally before passing the message on.
        List<LamportClock> services = new ArrayList<>();
        hops.forEach(h -> services.add(new LamportClock()));
        long stamp = services.get(0).tick();
        for (int i = 1; i < services.size(); i++) {
            LamportClock next = services.get(i);
            for (long t = 0; t < hops.get(i); t++) {
                next.tick();
            }
            long received = next.merge(stamp);
            assertThat(received).isGreaterThan(stamp);
            stamp = next.tick();
        }
    }

    @Property(tries = 20)
    void concurrentTicksNeverRepeatAValue(@ForAll @LongRange(min = 1, max = 2000) long perThread) {
        LamportClock clock = new LamportClock();
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();

        IntStream.range(0, 4).parallel().forEach(t -> {
            for (long i = 0; i < perThread; i++) {
                seen.add(i % 3 == 0 ? clock.merge(i) : clock.tick());
            }
        });

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(clock.current()).isEqualTo(seen.stream().mapToLong(Long::longValue).max().orElseThrow());
    }
}
