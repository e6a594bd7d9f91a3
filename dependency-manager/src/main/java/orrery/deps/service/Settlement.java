package orrery.deps.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import orrery.deps.domain.TaskOrder;

/**
 * Carries out what a critical section decided, after the lock: first the graph's changes are
 * written, then the tasks are sent (each retried until the stream takes it), then the rest. The
 * answer ends when all of it has, so a message is acknowledged only once what it changed is written.
 */
@ApplicationScoped
class Settlement {

    private final GraphWriter writer;
    private final TaskDispatcher dispatcher;

    @Inject
    Settlement(GraphWriter writer, TaskDispatcher dispatcher) {
        this.writer = writer;
        this.dispatcher = dispatcher;
    }

    Uni<Void> settle(Effects effects) {
        List<TaskOrder> orders = effects.orders();
        List<Uni<Void>> after = effects.after();
        return writer.flush()
                .chain(() -> orders.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(orders.stream().map(dispatcher::send).toList()).andFailFast().replaceWithVoid())
                .chain(() -> after.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(after).andCollectFailures().replaceWithVoid());
    }
}
