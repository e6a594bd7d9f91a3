package orrery.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Small helpers for starting real servers from tests. */
public final class Processes {

    private Processes() {
    }

    /*
     * Ports are picked below Linux's ephemeral range (32768-60999 by default). A port the kernel
     * hands out for bind(0) is one it may give the next outgoing connection as its source port
     * before the server that was told to use it binds it; in a busy test run a service then failed
     * to start while another suite's service answered its health check (and refused its tokens).
     */
    private static final int LOWEST = 15_000;
    private static final int ABOVE_HIGHEST = 32_000;
    private static final Random RANDOM = new Random();

    /** A TCP port that was free a moment ago on the loopback interface, outside the ephemeral range. */
    public static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = LOWEST + RANDOM.nextInt(ABOVE_HIGHEST - LOWEST);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + ABOVE_HIGHEST);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The first of {@code count} consecutive ports nothing listens on (deploy/local/up.sh gives the
     * services base .. base + 4), picked at random outside the ephemeral range.
     */
    public static int freePortRun(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = LOWEST + RANDOM.nextInt(ABOVE_HIGHEST - LOWEST - count);
            if (IntStream.range(base, base + count).allMatch(Processes::bindable)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found");
    }

    /** True if something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Asks {@code process} to end (SIGTERM), and kills it if it has not within {@code grace}. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** True when this JVM runs as root, where PostgreSQL must be started as another user. */
    public static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a command to completion, failing with its output if it exits non-zero. */
    public static String run(List<String> command, Path workDir, long timeoutSeconds) {
        try {
            Path output = Files.createTempFile("orrery-cmd-", ".out");
            try {
                Process process = new ProcessBuilder(command)
                        .directory(workDir == null ? null : workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out after " + timeoutSeconds + "s: " + String.join(" ", command));
                }
                String text = Files.readString(output, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("command failed (exit " + process.exitValue() + "): "
                            + String.join(" ", command) + "\n" + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    /** The first executable among {@code candidates}, or null. */
    public static Path findExecutable(List<Path> candidates) {
        for (Path candidate : candidates) {
            if (candidate != null && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Candidates for {@code name} on the PATH. */
    public static List<Path> onPath(String name) {
        List<Path> found = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    found.add(Path.of(dir, name));
                }
            }
        }
        return found;
    }

    /** Deletes a directory tree, ignoring files that are already gone. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temporary folder left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
