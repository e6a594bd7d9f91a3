package orrery.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One Orrery service running from its packaged jar, as a process of its own. */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;
    private int starts;

    public ServiceProcess(String name, Path root, int port, Map<String, String> env, Path logs) {
        this(name, root, port, env, logs, name);
    }

    /** @param label the name of this process's log (a replica's differs from its service's) */
    public ServiceProcess(String name, Path root, int port, Map<String, String> env, Path logs, String label) {
        this.name = label;
        this.jar = root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        this.port = port;
        this.env = Map.copyOf(env);
        this.log = logs.resolve(label + ".log");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build the services first (mvn package)");
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    public synchronized void start() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dquarkus.profile=local", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(jar.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(starts++ == 0 ? ProcessBuilder.Redirect.to(log.toFile()) : ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("ORRERY_HTTP_PORT", Integer.toString(port));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public void awaitReady() {
        Process started = process;
        await(name + " ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException(name + " exited with " + started.exitValue() + "; see " + log);
            }
            return isReady();
        });
    }

    /** The HTTP status of a GET of {@code path} without a token (a health check), or -1 when nothing answers. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Readiness ({@code /q/health/ready}) says UP. */
    public boolean isReady() {
        return status("/q/health/ready") == 200;
    }

    /** Liveness ({@code /q/health/live}) says UP. */
    public boolean isLive() {
        return status("/q/health/live") == 200;
    }

    /** Writes the running process's thread dump beside its log (for a failed test: who waits on what). */
    public synchronized void dumpThreads() {
        if (process == null || !process.isAlive()) {
            return;
        }
        Path dump = log.resolveSibling(name + ".threads.txt");
        try {
            new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(process.pid()),
                    "Thread.print").redirectErrorStream(true).redirectOutput(dump.toFile()).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.out.println("no thread dump of " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the service as SIGKILL would: no shutdown hooks, nothing flushed. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            Processes.stop(process, Duration.ofSeconds(30));
        }
    }

    private void waitFor() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
