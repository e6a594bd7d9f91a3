package orrery.support.time;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Work a service has in hand, counted where it enters and leaves (message handlers, requests,
 * REST calls, work on safe contexts), so that a simulated clock moves only when every service is
 * idle. On the system clock it counts nothing.
 */
public interface WorkInFlight {

    /** Counts nothing: the system clock does not wait for anyone. */
    WorkInFlight NONE = what -> () -> {
    };

    /** Starts counting one piece of work; {@code what} names it in leak reports. */
    Work enter(String what);

    /** Counts {@code work} from its subscription until it ends (item, failure or cancellation). */
    default <T> Uni<T> around(String what, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Work entered = enter(what);
            Uni<T> uni;
            try {
                uni = work.get();
            } catch (RuntimeException e) {
                entered.close();
                throw e;
            }
            return uni.onTermination().invoke(entered::close);
        });
    }

    /** One piece of work; closing it again does nothing. */
    @FunctionalInterface
    interface Work extends AutoCloseable {
        @Override
        void close();
    }
}
