package orrery.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a fresh {@code nats-server} with JetStream for a Quarkus test and points the service
 * at it. Each start gets its own server, so streams and consumers never leak between tests.
 *
 * <p>With the arguments {@code user} and {@code password} the server demands that login, and the
 * service is given it through the connector's own keys, as a deployment would give it.
 */
public class NatsTestResource implements QuarkusTestResourceLifecycleManager {

    private NatsServer server;
    private String user;
    private String password;

    @Override
    public void init(Map<String, String> args) {
        user = args.get("user");
        password = args.get("password");
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("NatsTestResource needs both user and password, or neither");
        }
    }

    @Override
    public Map<String, String> start() {
        server = user == null ? NatsServer.start() : NatsServer.startWithLogin(user, password);
        Map<String, String> config = new HashMap<>(Map.of(
                "orrery.nats.url", server.url(),
                "quarkus.messaging.nats.connection.servers", server.url()));
        if (user != null) {
            config.put("quarkus.messaging.nats.connection.username", user);
            config.put("quarkus.messaging.nats.connection.password", password);
        }
        return config;
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
