package orrery.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code nats-server} with JetStream, on a free loopback port, storing into a temporary
 * folder. It can be stopped and started again on the same port and store, so tests can watch a
 * service lose and regain NATS.
 */
public final class NatsServer implements AutoCloseable {

    private final Path binary;
    private final Path dir;
    private final int port;
    private final List<String> login;
    private Process process;

    private NatsServer(Path binary, Path dir, int port, List<String> login) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.login = login;
    }

    /** Starts a fresh server that lets any client in. */
    public static NatsServer start() {
        return start(List.of());
    }

    /** Starts a fresh server that lets in only clients logging in with this user and password. */
    public static NatsServer startWithLogin(String user, String password) {
        return start(List.of("--user", user, "--pass", password));
    }

    private static NatsServer start(List<String> login) {
        Path binary = locate();
        try {
            Path dir = Files.createTempDirectory("orrery-nats-");
            NatsServer server = new NatsServer(binary, dir, Processes.freePort(), login);
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
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("nats.out").toFile()).start();
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
