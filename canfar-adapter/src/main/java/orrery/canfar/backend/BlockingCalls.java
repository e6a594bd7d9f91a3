package orrery.canfar.backend;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;

/**
 * Runs blocking work (files, starting processes) on a worker thread and resumes on the caller's
 * Vert.x context, where Hibernate Reactive work can carry on.
 */
@ApplicationScoped
public class BlockingCalls {

    public <T> Uni<T> call(Callable<T> work) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Uni.createFrom().item(() -> {
                try {
                    return work.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Uni.createFrom().emitter(emitter -> context.<T>executeBlocking(work, false).onComplete(result -> {
            if (result.succeeded()) {
                emitter.complete(result.result());
            } else {
                emitter.fail(result.cause());
            }
        }));
    }
}
