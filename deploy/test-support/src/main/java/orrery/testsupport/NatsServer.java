package orrery.testsupport;

import static org.awaitility.Awaitility.await;

import io.nats.client.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.model.messaging.NatsUsers;

/**
 * A real {@code nats-server} with JetStream, on a free loopback port, storing into a temporary
 * folder. It can be stopped and started again on the same port and store, so tests can watch a
 * service lose and regain NATS.
 *
 * <p>{@link #startWithOrreryUsers()} starts it with Orrery's users and permissions
 * ({@link NatsUsers}, as {@code deploy/local/up.sh} and Kubernetes run it), each user with a fresh
 * random password: {@link #password(String)}, {@link #loginEnvironment(String)} (for a service
 * started as a process) and {@link #loginConfig(String)} (for a Quarkus test) give a user's login.
 */
public final class NatsServer implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path binary;
    private final Path dir;
    private final int port;
    private final List<String> login;
    private final String config;
    private final Map<String, String> environment;
    private final Map<String, String> passwords;
    private Process process;

    private NatsServer(Path binary, Path dir, int port, List<String> login, String config,
                       Map<String, String> environment, Map<String, String> passwords) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.login = login;
        this.config = config;
        this.environment = Map.copyOf(environment);
        this.passwords = Map.copyOf(passwords);
    }

    /** Starts a fresh server that lets any client in. */
    public static NatsServer start() {
        return start(List.of(), null, Map.of(), Map.of());
    }

    /** Starts a fresh server that lets in only clients logging in with this user and password. */
    public static NatsServer startWithLogin(String user, String password) {
        return start(List.of("--user", user, "--pass", password), null, Map.of(), Map.of(user, password));
    }

    /**
     * Starts a fresh server with every user of {@link NatsUsers} and its permissions (the
     * {@code authorization} block of {@code deploy/k8s/base/nats/users.conf}), each with a new
     * random password. Clients without one of these logins are refused.
     */
    public static NatsServer startWithOrreryUsers() {
        Map<String, String> passwords = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String user : NatsUsers.ALL) {
            // A letter first: nats-server reads a $VARIABLE's value as a configuration value, and a
            // value that starts like a number ("58e1a...", "12k...") fails to parse or is no string.
            String password = "n" + HexFormat.of().formatHex(randomBytes());
            passwords.put(user, password);
            environment.put(NatsUsers.passwordVariable(user), password);
        }
        return start(List.of(), NatsUsers.authorizationConfig(), environment, passwords);
    }

    /**
     * Starts a fresh server with this configuration text (for example an {@code authorization}
     * block), and these environment variables for the {@code $VARIABLE}s it names. Port, store
     * and log are set on the command line. {@code passwords} (user to password) are what
     * {@link #password(String)} answers.
     */
    public static NatsServer startWithConfig(String config, Map<String, String> environment, Map<String, String> passwords) {
        return start(List.of(), config, environment, passwords);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static NatsServer start(List<String> login, String config, Map<String, String> environment,
                                    Map<String, String> passwords) {
        Path binary = locate();
        try {
            Path dir = Files.createTempDirectory("orrery-nats-");
            NatsServer server = new NatsServer(binary, dir, Processes.freePort(), login, config, environment, passwords);
            if (config != null) {
                Files.writeString(dir.resolve("nats.conf"), config, StandardCharsets.UTF_8);
            }
            server.startProcess();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "nats-server-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for nats-server", e);
        }
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path storeDir() {
        return dir.resolve("jetstream");
    }

    /** The server's log file (permission violations are logged there). */
    public Path logFile() {
        return dir.resolve("nats.log");
    }

    /** The password of {@code user} on this server. */
    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("this server has no user '" + user + "'; it has " + passwords.keySet());
        }
        return password;
    }

    /**
     * The environment that makes a service log in as {@code user}: Orrery's
     * {@code ORRERY_NATS_USERNAME} and {@code ..._PASSWORD}.
     */
    public Map<String, String> loginEnvironment(String user) {
        return Map.of("ORRERY_NATS_USERNAME", user,
                "ORRERY_NATS_PASSWORD", password(user));
    }

    /** The configuration that makes a Quarkus test's application log in as {@code user}. */
    public Map<String, String> loginConfig(String user) {
        return Map.of("orrery.nats.username", user,
                "orrery.nats.password", password(user));
    }

    /**
     * jnats options for a client of this server logging in as {@code user}, without reconnects;
     * the {@code builder} also gets its inbox prefix ({@link NatsUsers#BUILDER_INBOX_PREFIX}),
     * without which its requests' replies could not reach it.
     */
    public Options.Builder options(String user) {
        Options.Builder options = new Options.Builder().server(url()).userInfo(user, password(user))
                .connectionTimeout(Duration.ofSeconds(5)).noReconnect();
        if (NatsUsers.BUILDER.equals(user)) {
            options.inboxPrefix(NatsUsers.BUILDER_INBOX_PREFIX);
        }
        return options;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server (as SIGKILL would), keeping its store for a later {@link #restart()}. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts the server again on the same port and store. */
    public synchronized void restart() {
        kill();
        startProcess();
    }

    @Override
    public synchronized void close() {
        kill();
        Processes.deleteTree(dir);
    }

    private synchronized void startProcess() {
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "-a", "127.0.0.1", "-p", Integer.toString(port),
                "-js", "-sd", storeDir().toString(),
                "--server_name", "orrery-test-" + port,
                "-l", dir.resolve("nats.log").toString()));
        command.addAll(login);
        if (config != null) {
            command.addAll(List.of("-c", dir.resolve("nats.conf").toString()));
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("nats.out").toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        Process started = process;
        await("nats-server on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("nats-server exited with " + started.exitValue()
                                + "; see " + dir.resolve("nats.log"));
                    }
                    return Processes.listening(port);
                });
    }

    private static Path locate() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("ORRERY_NATS_SERVER");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.addAll(Processes.onPath("nats-server"));
        candidates.add(Path.of("/usr/sbin/nats-server"));
        candidates.add(Path.of("/usr/bin/nats-server"));
        candidates.add(Path.of("/usr/local/bin/nats-server"));
        Path found = Processes.findExecutable(candidates);
        if (found == null) {
            throw new IllegalStateException("nats-server not found. Install it (Debian: apt-get install -y nats-server) "
                    + "or point ORRERY_NATS_SERVER at the binary.");
        }
        return found;
    }
}
