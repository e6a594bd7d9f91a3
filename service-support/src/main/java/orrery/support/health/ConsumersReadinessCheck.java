package orrery.support.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import orrery.support.messaging.DurableConsumers;
import orrery.support.messaging.PullLoop;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while every JetStream consumer of the service is bound and pulling. */
@Readiness
@ApplicationScoped
public class ConsumersReadinessCheck implements HealthCheck {

    private final DurableConsumers consumers;

    @Inject
    public ConsumersReadinessCheck(DurableConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("jetstream-consumers");
        boolean up = true;
        for (PullLoop.Status status : consumers.statuses()) {
            response.withData(status.consumer(), status.bound() ? "pulling" : String.valueOf(status.problem()));
            up &= status.bound();
        }
        return response.status(up).build();
    }
}
