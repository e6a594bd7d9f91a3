package orrery.support.messaging;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The one NATS connection of a service, made with jnats and never replaced: every publisher,
 * consumer and request/reply shares it, and jnats reconnects it for ever after an outage (so no
 * one holds a closed connection). Listeners registered with {@link #onReconnect(Runnable)} run
 * after each reconnect, which is how streams and consumers are re-ensured on a server that came
 * back without them.
 *
 * <p>Configuration: {@code orrery.nats.url} (comma-separated servers), and a login: {@code
 * orrery.nats.username} with {@code orrery.nats.password}, or {@code orrery.nats.token}, or
 * {@code orrery.nats.credentials} (a {@code .creds} file). README, "NATS authentication".
 */
@Singleton
public class NatsConnectionProducer {

    private static final Logger LOG = Logger.getLogger(NatsConnectionProducer.class);

    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    /** jnats may report one loss more than once; say it once per outage. */
    private final AtomicBoolean away = new AtomicBoolean();
    private volatile Connection connection;

    @ConfigProperty(name = "orrery.nats.url")
    String servers;
    @ConfigProperty(name = "orrery.nats.username")
    Optional<String> username;
    @ConfigProperty(name = "orrery.nats.password")
    Optional<String> password;
    @ConfigProperty(name = "orrery.nats.token")
    Optional<String> token;
    @ConfigProperty(name = "orrery.nats.credentials")
    Optional<String> credentials;
    @ConfigProperty(name = "quarkus.application.name", defaultValue = "orrery")
    String clientName;
    /** How soon to try again after losing the server; small, so a restarted server is used within a second. */
    @ConfigProperty(name = "orrery.nats.reconnect-wait", defaultValue = "PT0.5S")
    Duration reconnectWait;
    /** How often to ping: a half-open connection is noticed after two missed pings. */
    @ConfigProperty(name = "orrery.nats.ping-interval", defaultValue = "PT5S")
    Duration pingInterval;

    @Produces
    @Singleton
    Connection connection() throws IOException, InterruptedException {
        // Keeps trying until the first server answers, as it does after any later outage.
        connection = Nats.connectReconnectOnConnect(options());
        LOG.infof("connected to NATS at %s as %s", connection.getConnectedUrl(), username.orElse("(no login)"));
        return connection;
    }

    /** Runs {@code listener} (on a jnats thread) each time the connection is back after an outage. */
    public void onReconnect(Runnable listener) {
        reconnectListeners.add(listener);
    }

    void close(@Observes ShutdownEvent ignored) throws InterruptedException {
        Connection current = connection;
        if (current != null) {
            current.close();
        }
    }

    private Options options() {
        Options.Builder builder = new Options.Builder()
                .servers(Arrays.stream(servers.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new))
                .connectionName(clientName)
                .maxReconnects(-1)
                .reconnectWait(reconnectWait)
                .connectionTimeout(Duration.ofSeconds(2))
                .pingInterval(pingInterval)
                .maxPingsOut(2)
                .connectionListener(this::connectionEvent)
                .errorListener(new LoggingErrorListener());
        if (username.isPresent() && !username.get().isBlank()) {
            builder.userInfo(username.get(), password.orElse(""));
        } else if (token.isPresent() && !token.get().isBlank()) {
            builder.token(token.get().toCharArray());
        } else if (credentials.isPresent() && !credentials.get().isBlank()) {
            builder.authHandler(Nats.credentials(credentials.get()));
        }
        return builder.build();
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> {
                if (away.compareAndSet(false, true)) {
                    LOG.warnf("lost NATS; reconnecting every %s", reconnectWait);
                }
            }
            case RECONNECTED -> {
                away.set(false);
                LOG.infof("NATS is back at %s", conn.getConnectedUrl());
                reconnectListeners.forEach(NatsConnectionProducer::runSafely);
            }
            default -> LOG.debugf("NATS connection: %s", event);
        }
    }

    private static void runSafely(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "a reconnect listener failed");
        }
    }

    /** jnats reports asynchronous errors (slow consumers, permission violations) here; log them once each. */
    private static final class LoggingErrorListener implements ErrorListener {
        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.warnf("NATS error: %s", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debugf(exp, "NATS connection exception");
        }
    }
}
