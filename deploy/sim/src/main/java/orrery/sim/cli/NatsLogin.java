package orrery.sim.cli;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The NATS options every {@code orrery-sim} subcommand shares ({@code @Mixin}), with the services'
 * environment variables as defaults: {@code ORRERY_NATS_URL}, {@code ORRERY_NATS_USERNAME},
 * {@code ORRERY_NATS_PASSWORD}.
 */
public final class NatsLogin {

    @Option(names = "--nats", paramLabel = "<url>",
            description = "NATS server(s), comma-separated (default: $ORRERY_NATS_URL or nats://127.0.0.1:4222)")
    String url;

    @Option(names = "--user", description = "NATS user (default: $ORRERY_NATS_USERNAME or admin)")
    String user;

    @Option(names = "--password", description = "NATS password (default: $ORRERY_NATS_PASSWORD; prefer the variable, "
            + "a password on the command line is visible to other users of the machine)")
    String password;

    /** The server URL(s) this login goes to. */
    public String url(Map<String, String> env) {
        return url != null ? url : env.getOrDefault("ORRERY_NATS_URL", "nats://127.0.0.1:4222");
    }

    /**
     * Connects (reconnecting for ever once connected, so that a NATS restart does not end a run).
     *
     * @throws CommandFailure with {@link ExitCodes#NATS_LOGIN} or {@link ExitCodes#NATS_UNREACHABLE}
     */
    public Connection connect(Map<String, String> env, String connectionName, Consumer<String> log) {
        String servers = url(env);
        String name = user != null ? user : env.getOrDefault("ORRERY_NATS_USERNAME", "admin");
        String secret = password != null ? password : env.get("ORRERY_NATS_PASSWORD");
        Options.Builder options = new Options.Builder().servers(servers.split(",")).connectionName(connectionName)
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(-1).reconnectWait(Duration.ofMillis(250))
                .connectionListener((connection, event) -> {
                    if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.RECONNECTED) {
                        log.accept("NATS " + event.name().toLowerCase(java.util.Locale.ROOT));
                    }
                })
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        log.accept("NATS error: " + error);
                    }

                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        log.accept("NATS: " + exp.getMessage());
                    }
                });
        if (secret != null && !secret.isBlank()) {
            options.userInfo(name, secret.strip());
        }
        try {
            return Nats.connect(options.build());
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Authorization")) {
                throw new CommandFailure(ExitCodes.NATS_LOGIN, "NATS at " + servers + " refused the login of user " + name
                        + " (set ORRERY_NATS_PASSWORD, or --user/--password)", e);
            }
            throw new CommandFailure(ExitCodes.NATS_UNREACHABLE, "cannot reach NATS at " + servers + ": " + message, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCodes.FAILED, "interrupted while connecting to NATS", e);
        }
    }
}
