package orrery.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a fresh {@code nats-server} with JetStream for a Quarkus test and points the service
 * at it. Each start gets its own server, so streams and consumers never leak between tests.
 */
public class NatsTestResource implements QuarkusTestResourceLifecycleManager {

    private NatsServer server;

    @Override
    public Map<String, String> start() {
        server = NatsServer.start();
        return Map.of(
                "orrery.nats.url", server.url(),
                "quarkus.messaging.nats.connection.servers", server.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectNats.class, NatsServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
