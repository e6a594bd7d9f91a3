package orrery.support.health;

import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the NATS connection is up: without it a service can neither take work nor report. */
@Readiness
@ApplicationScoped
public class NatsReadinessCheck implements HealthCheck {

    private final Connection connection;

    @Inject
    public NatsReadinessCheck(Connection connection) {
        this.connection = connection;
    }

    @Override
    public HealthCheckResponse call() {
        Connection.Status status = connection.getStatus();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("nats")
                .withData("status", status.name());
        String server = connection.getConnectedUrl();
        if (server != null) {
            response.withData("server", server);
        }
        return response.status(status == Connection.Status.CONNECTED).build();
    }
}
