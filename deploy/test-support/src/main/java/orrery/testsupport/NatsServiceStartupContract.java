package orrery.testsupport;

import org.junit.jupiter.api.Test;

/**
 * What every service's start-up test proves: it starts ready against a real NATS, serves
 * health, OpenAPI and metrics, creates the streams of the design, and its readiness follows NATS.
 * A service's test extends this (or {@link DatabaseServiceStartupContract}) and adds
 * {@code @QuarkusTest}, {@code @TestProfile(OwnApplication.class)} and its test resources.
 */
public abstract class NatsServiceStartupContract {

    @InjectNats
    protected NatsServer nats;

    /** The OpenAPI title the service announces. */
    protected abstract String title();

    /** The readiness checks that must be UP. */
    protected String[] readinessChecks() {
        return new String[] {"nats"};
    }

    @Test
    void startsReadyWithHealthOpenApiAndMetrics() {
        ServiceChecks.readyWith(readinessChecks());
        ServiceChecks.servesOpenApiAndMetrics(title());
    }

    @Test
    void createsTheStreamsOfTheDesign() throws Exception {
        ServiceChecks.streamsAsDesigned(nats.url());
    }

    @Test
    void readinessFollowsNats() {
        ServiceChecks.readinessFollowsNats(nats);
    }
}
