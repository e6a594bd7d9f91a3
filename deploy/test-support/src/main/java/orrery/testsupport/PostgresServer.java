package orrery.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL cluster: {@code initdb} into a temporary folder and {@code pg_ctl start} on a
 * free loopback port. PostgreSQL refuses to run as root, so when the tests run as root every
 * command is run as the {@code postgres} user through {@code runuser}. Every connection logs in
 * with the password (scram-sha-256, over TCP and the local socket), as in {@code deploy/local/up.sh}.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "orrery";
    public static final String PASSWORD = "orrery";

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Creates and starts a new cluster. */
    public static PostgresServer start() {
        Path bin = locateBin();
        boolean asPostgresUser = Processes.runningAsRoot();
        try {
            Path dir = Files.createTempDirectory("orrery-pg-");
            PostgresServer server = new PostgresServer(bin, dir, Processes.freePort(), asPostgresUser);
            server.init();
            server.startCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-stop"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for PostgreSQL", e);
        }
    }

    public int port() {
        return port;
    }

    /** Creates a fresh, empty database and returns its name. */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + DATABASES.incrementAndGet()).toLowerCase().replaceAll("[^a-z0-9_]", "_");
        run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", USER, name));
        return name;
    }

    /** The folder of the server's programs ({@code psql}, {@code pg_ctl}, ...). */
    public Path binDir() {
        return bin;
    }

    /** The folder of the server's local (Unix-domain) socket. */
    public Path socketDir() {
        return dir;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** How a service started as a process reaches {@code database}: the ORRERY_DB_* variables. */
    public Map<String, String> environment(String database) {
        return Map.of("ORRERY_DB_REACTIVE_URL", reactiveUrl(database), "ORRERY_DB_JDBC_URL", jdbcUrl(database),
                "ORRERY_DB_USER", USER, "ORRERY_DB_PASSWORD", PASSWORD);
    }

    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops the cluster at once (as a crash would); {@link #restart()} brings it back. */
    public synchronized void stop() {
        if (Files.exists(dataDir().resolve("postmaster.pid"))) {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir().toString(), "-m", "immediate", "-w", "stop"));
            } catch (IllegalStateException alreadyStopped) {
                // the cluster was not running; nothing to stop
            }
        }
    }

    public synchronized void restart() {
        stop();
        startCluster();
    }

    @Override
    public synchronized void close() {
        stop();
        Processes.deleteTree(dir);
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private void init() throws IOException {
        Path passwordFile = dir.resolve("pwfile");
        Files.writeString(passwordFile, PASSWORD + "\n");
        if (asPostgresUser) {
            Processes.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), null, 30);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", dataDir().toString(), "-U", USER,
                "--pwfile=" + passwordFile, "--auth=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--no-locale",
                "--no-sync"));
    }

    private void startCluster() {
        // fsync=off and full_page_writes=off only give up safety against the machine crashing, which no
        // test does. synchronous_commit stays on: with it off, a commit is acknowledged before its WAL is
        // written, and the immediate stop the fault tests use (a crash of PostgreSQL) then forgets
        // transactions the services were told had committed (FaultsIT lost a launch report that way).
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c full_page_writes=off -c max_connections=300";
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir().toString(), "-o", options,
                "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60", "start"));
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        if (command.get(0).endsWith("createdb")) {
            // createdb logs in (scram-sha-256, like every client); hand it the password without a prompt.
            full.addAll(0, List.of("env", "PGPASSWORD=" + PASSWORD));
        }
        Processes.run(full, dir, 120);
    }

    private static Path locateBin() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("ORRERY_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured, "pg_ctl"));
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(versions)) {
            try (Stream<Path> list = Files.list(versions)) {
                list.sorted(Comparator.comparing(PostgresServer::majorVersion).reversed())
                        .forEach(v -> candidates.add(v.resolve("bin").resolve("pg_ctl")));
            } catch (IOException ignored) {
                // fall back to the PATH
            }
        }
        candidates.addAll(Processes.onPath("pg_ctl"));
        Path pgCtl = Processes.findExecutable(candidates);
        if (pgCtl == null) {
            throw new IllegalStateException("PostgreSQL server binaries (pg_ctl, initdb) not found. Install PostgreSQL 15 "
                    + "(Debian: apt-get install -y postgresql) or point ORRERY_PG_BIN at its bin folder.");
        }
        try {
            return pgCtl.toRealPath().getParent();
        } catch (IOException e) {
            return pgCtl.getParent();
        }
    }

    private static int majorVersion(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
