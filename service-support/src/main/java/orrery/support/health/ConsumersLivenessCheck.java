package orrery.support.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import orrery.support.messaging.DurableConsumers;
import orrery.support.messaging.PullLoop;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness is about the process, not its dependencies: DOWN only when a consumer's thread has
 * ended or one message has been in hand longer than {@code orrery.messaging.wedged-after}, which
 * no NATS or PostgreSQL outage causes (handlers give up on those long before).
 */
@Liveness
@ApplicationScoped
public class ConsumersLivenessCheck implements HealthCheck {

    private final DurableConsumers consumers;
    private final Duration wedgedAfter;

    @Inject
    public ConsumersLivenessCheck(DurableConsumers consumers,
                                  @ConfigProperty(name = "orrery.messaging.wedged-after", defaultValue = "PT30M") Duration wedgedAfter) {
        this.consumers = consumers;
        this.wedgedAfter = wedgedAfter;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("jetstream-consumers");
        boolean up = true;
        for (PullLoop.Status status : consumers.statuses()) {
            if (!status.alive()) {
                response.withData(status.consumer(), "thread ended");
                up = false;
            } else if (status.handlerRunning().compareTo(wedgedAfter) > 0) {
                response.withData(status.consumer(), "one message in hand for " + status.handlerRunning().toSeconds() + " s");
                up = false;
            }
        }
        return response.status(up).build();
    }
}
