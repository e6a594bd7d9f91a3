package orrery.support.time;

import io.nats.client.Connection;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import orrery.model.time.LamportClock;
import orrery.model.time.SystemTimeSource;
import orrery.model.time.TimeSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's clock and Lamport clock. The system clock is the default; a test or the
 * simulator replaces it by producing its own {@link TimeSource} bean.
 */
public class TimeSourceProducer {

    /**
     * {@code orrery.time.source}: {@code system} (the default) or {@code simulated}, where the
     * service joins the simulation in {@code deploy/sim} as {@code orrery.time.participant}
     * (default: the application's name) and waits up to {@code orrery.time.join-timeout} for the
     * controller to answer.
     */
    @Produces
    @Singleton
    @DefaultBean
    TimeSource time(@ConfigProperty(name = "orrery.time.source", defaultValue = "system") String source,
                    @ConfigProperty(name = "orrery.time.participant") Optional<String> participant,
                    @ConfigProperty(name = "quarkus.application.name") Optional<String> application,
                    @ConfigProperty(name = "orrery.time.join-timeout", defaultValue = "PT60S") Duration joinTimeout,
                    Instance<Connection> connection) {
        return switch (source) {
            case "system" -> new SystemTimeSource();
            case "simulated" -> SimulatedTimeSource.join(connection.get(), participant.or(() -> application).orElse("participant"),
                    joinTimeout, Duration.ofMillis(500));
            default -> throw new IllegalArgumentException("orrery.time.source must be 'system' or 'simulated', not '" + source + "'");
        };
    }

    /** What the service has in hand, counted for the simulated clock (nothing on other clocks). */
    @Produces
    @Singleton
    WorkInFlight workInFlight(TimeSource time) {
        return time instanceof WorkInFlight counted ? counted : WorkInFlight.NONE;
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
