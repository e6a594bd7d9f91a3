package orrery.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server for tests, serving files from a folder with the awkward behaviours a
 * staging source can have:
 * <ul>
 *   <li>{@code /files/<name>}: the file, with {@code Range} support;</li>
 *   <li>{@code /hold/<name>}: the first {@link #holdAfter} bytes, then nothing until {@link #release} —
 *       a transfer that is under way for as long as the test wants;</li>
 *   <li>{@code /drop/<name>}: on the first request, half the file and then the connection drops;
 *       afterwards like {@code /files} (so a resumed transfer can finish);</li>
 *   <li>{@link #failNext}: the next requests for a name answer an error status;</li>
 *   <li>{@code /redirect?to=<url>}: a 302 to anywhere.</li>
 * </ul>
 * It counts requests and records {@code Range} headers per path, so tests can prove that a
 * transfer happened once, or resumed.
 */
public final class FileServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "file-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Path root;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, List<String>> ranges = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> dropped = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private volatile long holdAfter = 64 * 1024;

    private record Failure(int status, AtomicInteger remaining) {
    }

    private FileServer(Path root) throws IOException {
        this.root = root;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves the files under {@code root}. */
    public static FileServer start(Path root) {
        try {
            return new FileServer(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test file server", e);
        }
    }

    public Path root() {
        return root;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** How many requests reached {@code path} (e.g. {@code /files/a.dat}). */
    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    /** The {@code Range} headers sent for {@code path}, in order (absent ones as "-"). */
    public List<String> ranges(String path) {
        return List.copyOf(ranges.getOrDefault(path, List.of()));
    }

    public void holdAfter(long bytes) {
        this.holdAfter = bytes;
    }

    /** Lets held responses for {@code name} carry on. */
    public void release(String name) {
        holds.computeIfAbsent(name, n -> new CountDownLatch(1)).countDown();
    }

    /** The next {@code times} requests for {@code name} (on any route) answer {@code status}. */
    public void failNext(String name, int status, int times) {
        failures.put(name, new Failure(status, new AtomicInteger(times)));
    }

    @Override
    public void close() {
        holds.values().forEach(CountDownLatch::countDown);
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String range = exchange.getRequestHeaders().getFirst("Range");
        ranges.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(range == null ? "-" : range);
        try (exchange) {
            if (path.equals("/redirect")) {
                String to = exchange.getRequestURI().getRawQuery().replaceFirst("^to=", "");
                exchange.getResponseHeaders().add("Location", java.net.URLDecoder.decode(to, java.nio.charset.StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            String[] parts = path.split("/", 3);
            if (parts.length < 3) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String route = parts[1];
            String name = parts[2];
            Failure failure = failures.get(name);
            if (failure != null && failure.remaining().getAndDecrement() > 0) {
                exchange.sendResponseHeaders(failure.status(), -1);
                return;
            }
            Path file = root.resolve(name).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            switch (route) {
                case "files" -> serve(exchange, file, range, Long.MAX_VALUE, null);
                case "hold" -> serve(exchange, file, range, holdAfter, holds.computeIfAbsent(name, n -> new CountDownLatch(1)));
                case "drop" -> {
                    if (dropped.computeIfAbsent(name, n -> new AtomicInteger()).getAndIncrement() == 0) {
                        drop(exchange, file);
                    } else {
                        serve(exchange, file, range, Long.MAX_VALUE, null);
                    }
                }
                default -> exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void serve(HttpExchange exchange, Path file, String range, long holdAt, CountDownLatch hold) throws IOException {
        long size = Files.size(file);
        long start = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            start = Long.parseLong(range.substring(6, range.length() - 1));
            if (start >= size) {
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (size - 1) + "/" + size);
            exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
            exchange.sendResponseHeaders(206, size - start);
        } else {
            exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
            exchange.sendResponseHeaders(200, size);
        }
        try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
            in.skipNBytes(start);
            byte[] buffer = new byte[64 * 1024];
            long sent = start;
            for (int n; (n = in.read(buffer, 0, (int) Math.min(buffer.length, Math.max(1, holdAt - sent)))) > 0; ) {
                out.write(buffer, 0, n);
                sent += n;
                if (hold != null && sent >= holdAt) {
                    out.flush();
                    awaitRelease(hold);
                    hold = null;
                    holdAt = Long.MAX_VALUE;
                }
            }
        }
    }

    private static void drop(HttpExchange exchange, Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, data.length);
        OutputStream out = exchange.getResponseBody();
        out.write(data, 0, data.length / 2);
        out.flush();
        // Closing the exchange before the announced length has been written drops the connection.
    }

    private static void awaitRelease(CountDownLatch hold) throws IOException {
        try {
            if (!hold.await(5, TimeUnit.MINUTES)) {
                throw new IOException("held response never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while held", e);
        }
    }
}
