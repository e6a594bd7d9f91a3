package orrery.deps.service;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import orrery.deps.domain.TaskOrder;

/**
 * What a critical section decided must happen once the lock is released: tasks to send, and the
 * rest (artefact events to publish, builds to record). The graph's own changes are not listed: they
 * wait in its dirty set, and {@link Settlement} writes them first.
 */
final class Effects {

    private final List<TaskOrder> orders = new ArrayList<>();
    private final List<Uni<Void>> after = new ArrayList<>();

    Effects send(List<TaskOrder> more) {
        orders.addAll(more);
        return this;
    }

    Effects then(Uni<Void> step) {
        after.add(step);
        return this;
    }

    List<TaskOrder> orders() {
        return List.copyOf(orders);
    }

    List<Uni<Void>> after() {
        return List.copyOf(after);
    }
}
