package orrery.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts a fresh {@code nats-server} with JetStream for a Quarkus test and points the service
 * at it. Each start gets its own server, so streams and consumers never leak between tests.
 *
 * <p>With the arguments {@code user} and {@code password} the server demands that login, and the
 * service is given it through {@code orrery.nats.username} and {@code .password}, as a deployment would give it.
 *
 * <p>With the argument {@code login} (a user of {@link orrery.model.messaging.NatsUsers}, e.g.
 * {@code staging-service}) the server runs with Orrery's users and permissions, as
 * {@code deploy/local/up.sh} and Kubernetes run it, and the service logs in as that user: a test
 * then proves the service can do all it needs with its own permissions.
 */
public class NatsTestResource implements QuarkusTestResourceLifecycleManager {

    private NatsServer server;
    private String user;
    private String password;
    private String login;

    @Override
    public void init(Map<String, String> args) {
        user = args.get("user");
        password = args.get("password");
        login = args.get("login");
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("NatsTestResource needs both user and password, or neither");
        }
        if (login != null && user != null) {
            throw new IllegalArgumentException("NatsTestResource takes either login or user and password");
        }
        if (login != null && !orrery.model.messaging.NatsUsers.ALL.contains(login)) {
            throw new IllegalArgumentException("login '" + login + "' is not one of " + orrery.model.messaging.NatsUsers.ALL);
        }
    }

    @Override
    public Map<String, String> start() {
        if (login != null) {
            server = NatsServer.startWithOrreryUsers();
        } else {
            server = user == null ? NatsServer.start() : NatsServer.startWithLogin(user, password);
        }
        Map<String, String> config = new HashMap<>(Map.of("orrery.nats.url", server.url()));
        if (login != null) {
            config.putAll(server.loginConfig(login));
        } else if (user != null) {
            config.put("orrery.nats.username", user);
            config.put("orrery.nats.password", password);
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
