package orrery.support.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import orrery.model.time.LamportClock;
import orrery.model.time.SystemTimeSource;
import orrery.model.time.TimeSource;

/**
 * The service's clock and Lamport clock. The system clock is the default; a test or the
 * simulator replaces it by producing its own {@link TimeSource} bean.
 */
public class TimeSourceProducer {

    @Produces
    @Singleton
    @DefaultBean
    TimeSource systemTime() {
        return new SystemTimeSource();
    }

    void close(@Disposes TimeSource time) {
        if (time instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // shutting down; nothing useful to do
            }
        }
    }

    @Produces
    @Singleton
    LamportClock lamportClock() {
        return new LamportClock();
    }
}
