package orrery.broker;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Instant;
import orrery.model.time.ManualTimeSource;

/** Broker tests run on a manual clock, starting on the morning of the example booking. */
public class TestClock {

    public static final Instant START = Instant.parse("2024-08-30T08:00:00Z");

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    ManualTimeSource clock() {
        return new ManualTimeSource(START);
    }
}
