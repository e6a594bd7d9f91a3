package orrery.support.messaging;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import orrery.support.time.WorkInFlight;
import java.util.function.Supplier;

/**
 * Runs work that arrives on a NATS client thread on a fresh, safe Vert.x duplicated context, the
 * only place Hibernate Reactive and other Vert.x-bound clients may be used.
 */
@ApplicationScoped
public class SafeContexts {

    private final Vertx vertx;
    private final WorkInFlight inFlight;

    @Inject
    public SafeContexts(Vertx vertx, WorkInFlight inFlight) {
        this.vertx = vertx;
        this.inFlight = inFlight;
    }

    /**
     * Runs {@code work} there, counted as work in flight until it ends (for the simulated clock).
     * The count ends only after the event-loop turn that ended it, so that what the caller chains
     * on in the same breath (publishing the report of a step just recorded) has begun, and counts,
     * before this work stops counting: otherwise a simulated clock could move in between.
     */
    public <T> Uni<T> run(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            WorkInFlight.Work entered = inFlight.enter("work on a safe context");
            return runOnNewContext(work).onTermination().invoke(() -> closeAfterThisTurn(entered));
        });
    }

    private static void closeAfterThisTurn(WorkInFlight.Work work) {
        Context current = Vertx.currentContext();
        if (current == null) {
            work.close();
        } else {
            current.runOnContext(ignored -> work.close());
        }
    }

    private <T> Uni<T> runOnNewContext(Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().<T>emitter(emitter -> context.runOnContext(ignored -> {
            Uni<T> uni;
            try {
                uni = work.get();
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            uni.subscribe().with(emitter::complete, emitter::fail);
        }));
    }
}
