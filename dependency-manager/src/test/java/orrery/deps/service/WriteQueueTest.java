package orrery.deps.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import orrery.deps.config.DependencyManagerConfig;
import org.junit.jupiter.api.Test;

/** The graph's database writes: in the order asked, each after the one before, whatever became of it. */
class WriteQueueTest {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private final WriteQueue queue = new WriteQueue(new BuildState(config()));

    @Test
    void writesRunInTheOrderTheyWereAskedFor() {
        List<Integer> order = new ArrayList<>();
        List<Uni<Void>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            answers.add(queue.enqueue(() -> Uni.createFrom().voidItem().invoke(() -> order.add(n))));
        }
        answers.forEach(answer -> answer.await().atMost(PATIENCE));
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aWriteThatThrowsInsteadOfFailingEndsAloneAndTheNextStillRuns() {
        Uni<Void> broken = queue.enqueue(() -> {
            throw new IllegalStateException("no connection");
        });
        Uni<Void> next = queue.enqueue(() -> Uni.createFrom().voidItem());

        assertThatThrownBy(() -> broken.await().atMost(PATIENCE)).hasMessageContaining("no connection");
        next.await().atMost(PATIENCE); // times out if the queue stuck behind the broken write
        queue.drained().await().atMost(PATIENCE);
    }

    @Test
    void aFailedWriteIsReportedToItsCallerOnly() {
        Uni<Void> failed = queue.enqueue(() -> Uni.createFrom().failure(new IllegalStateException("constraint")));
        Uni<Void> next = queue.enqueue(() -> Uni.createFrom().voidItem());

        assertThatThrownBy(() -> failed.await().atMost(PATIENCE)).hasMessageContaining("constraint");
        next.await().atMost(PATIENCE);
    }

    /** The configuration's defaults where the queue's state needs any (200 recent builds). */
    private static DependencyManagerConfig config() {
        return (DependencyManagerConfig) Proxy.newProxyInstance(WriteQueueTest.class.getClassLoader(),
                new Class<?>[] {DependencyManagerConfig.class}, (proxy, method, args) -> method.getName().equals("recentBuilds") ? 200 : null);
    }
}
