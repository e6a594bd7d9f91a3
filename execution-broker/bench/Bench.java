import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load against a running broker (start the suite with deploy/local/up.sh; run through bench/run.sh).
 * Prints offer sets per second with p50/p99 latency at 1, 8 and 32 concurrent clients, then
 * reservations per second under contention on one pool, and checks that the pool's capacity was
 * never exceeded. Plain JDK, run as a single source file: java Bench.java.
 */
public class Bench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        String broker = System.getenv().getOrDefault("ORRERY_BROKER_URL", "http://127.0.0.1:8080");
        String user = System.getenv("BENCH_TOKEN");
        String admin = System.getenv("BENCH_ADMIN_TOKEN");
        Duration each = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_SECONDS", "10")));

        long now = System.currentTimeMillis() / 1000;
        String cores = System.getenv().getOrDefault("BENCH_CORES", "1-2");
        String[] range = cores.split("-");
        int[] clientCounts = Arrays.stream(System.getenv().getOrDefault("BENCH_CLIENTS", "1 8").trim().split("\\s+"))
                .mapToInt(Integer::parseInt).toArray();
        int[] liveLevels = Arrays.stream(System.getenv().getOrDefault("BENCH_LIVE", "0 10000 100000").trim().split("\\s+"))
                .mapToInt(Integer::parseInt).toArray();
        String benchPool = "bench-" + now;
        send("PUT", broker + "/api/v1/pools/" + benchPool, admin,
                "{\"segments\":[{\"start_time\":0,\"end_time\":4102444800,\"capacity\":100000000}]}", 201, 200);
        String offerSet = "{\"name\":\"bench\",\"executable\":{\"kind\":\"command\",\"cmd\":\"true\"},"
                + "\"resources\":{\"compute\":[{\"cores\":{\"min\":" + range[0] + ",\"max\":" + range[range.length - 1] + "}}]},"
                + "\"schedule\":{\"requested\":[{\"duration\":{\"min\":\"PT1H\",\"max\":\"PT1H\"}}]},\"pool\":\"" + benchPool + "\"}";
        System.out.println("== offer sets (POST /api/v1/offersets: quotes over NATS, planning, held reservations), "
                + cores + " cores for PT1H, " + each.getSeconds() + " s per row, on pool " + benchPool
                + " (live: held or firm reservations of the pool that end after now; seeded ones start in the next 2 h)");
        // Warm-up at 8 clients, so the first row is not the JIT's (BENCH_WARMUP seconds, 15 by default).
        Duration warmUp = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_WARMUP", "15")));
        load(8, warmUp, () -> offerSetAnswer(broker + "/api/v1/offersets", user, offerSet));
        System.out.printf("%12s %8s %8s %8s %10s %9s %9s %12s%n", "live before", "clients", "YES", "NO", "YES per s", "p50 ms",
                "p99 ms", "live after");
        java.util.Map<Integer, Double> yesRateAt8 = new java.util.LinkedHashMap<>();
        for (int live : liveLevels) {
            int before = seedTo(benchPool, live);
            for (int clients : clientCounts) {
                AtomicInteger yes = new AtomicInteger();
                AtomicInteger no = new AtomicInteger();
                int liveBefore = liveCount(benchPool);
                Interval beside = new Interval() {
                    public int yes() {
                        return yes.get();
                    }

                    public String state() {
                        return stateOf(benchPool) + (no.get() > 0 ? ", " + no.get() + " NO so far" : "");
                    }
                };
                Result r = load(clients, each, () ->
                        (offerSetAnswer(broker + "/api/v1/offersets", user, offerSet) ? yes : no).incrementAndGet(), beside);
                System.out.printf("%12d %8d %8d %8d %10.1f %9.1f %9.1f %12d%n", liveBefore, clients, yes.get(), no.get(),
                        yes.get() / (r.elapsed.toNanos() / 1e9), r.percentile(50), r.percentile(99), liveCount(benchPool));
                if (clients == clientCounts[clientCounts.length - 1]) {
                    yesRateAt8.put(before, yes.get() / (r.elapsed.toNanos() / 1e9));
                }
            }
        }
        if (yesRateAt8.size() > 1) {
            double first = yesRateAt8.values().iterator().next();
            double last = yesRateAt8.values().stream().reduce((a, b) -> b).orElse(first);
            System.out.printf("YES per s at %d clients, most live against fewest: %.2f (flat within 20%% means 0.80 or more)%n",
                    clientCounts[clientCounts.length - 1], first == 0 ? 0 : last / first);
        }
        String peer = System.getenv("BENCH_PEER_URL");
        if (peer != null && !peer.isBlank()) {
            String peerBody = java.nio.file.Files.readString(java.nio.file.Path.of(System.getenv("BENCH_PEER_BODY")));
            String peerToken = System.getenv().getOrDefault("BENCH_PEER_TOKEN", user);
            System.out.println("== the same load against " + peer + " (body from " + System.getenv("BENCH_PEER_BODY") + ")");
            System.out.printf("%8s %8s %8s %10s %9s %9s%n", "clients", "YES", "NO", "YES per s", "p50 ms", "p99 ms");
            for (int clients : clientCounts) {
                AtomicInteger yes = new AtomicInteger();
                AtomicInteger no = new AtomicInteger();
                Result r = load(clients, each, () -> (offerSetAnswer(peer, peerToken, peerBody) ? yes : no).incrementAndGet());
                System.out.printf("%8d %8d %8d %10.1f %9.1f %9.1f%n", clients, yes.get(), no.get(),
                        yes.get() / (r.elapsed.toNanos() / 1e9), r.percentile(50), r.percentile(99));
            }
        }

        int capacity = 100;
        long span = 100_000;
        String tight = "bench-tight-" + now;
        send("PUT", broker + "/api/v1/pools/" + tight, admin,
                "{\"segments\":[{\"start_time\":" + now + ",\"end_time\":" + (now + span) + ",\"capacity\":" + capacity + "}]}", 201, 200);
        String[] users = System.getenv().getOrDefault("BENCH_USER_TOKENS", user).trim().split("\\s+");
        AtomicInteger turn = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Random random = new Random(1);
        System.out.println("== reservations under contention (32 clients, one pool of " + capacity + " cores)");
        Result r = load(32, each, () -> {
            long start;
            long length;
            int amount;
            synchronized (random) {
                start = now + random.nextInt((int) span - 3600);
                length = 60 + random.nextInt(3540);
                amount = 1 + random.nextInt(8);
            }
            String as = users[Math.floorMod(turn.getAndIncrement(), users.length)];
            int status = send("POST", broker + "/api/v1/pools/" + tight + "/reservations", as,
                    "{\"start_time\":" + start + ",\"end_time\":" + (start + length) + ",\"amount\":" + amount + "}", 201, 409);
            (status == 201 ? granted : refused).incrementAndGet();
        });
        System.out.printf("%10d requests, %.1f per s, p50 %.1f ms, p99 %.1f ms: %d granted, %d refused (409)%n",
                r.count, r.perSecond(), r.percentile(50), r.percentile(99), granted.get(), refused.get());
        String free = body("GET", broker + "/api/v1/pools/" + tight + "/availability?start_time=" + now + "&end_time=" + (now + span), user);
        Matcher m = Pattern.compile("\"free\":(-?\\d+)").matcher(free);
        int least = Integer.MAX_VALUE;
        while (m.find()) {
            least = Math.min(least, Integer.parseInt(m.group(1)));
        }
        System.out.println(least >= 0 ? "capacity never exceeded (least free at any moment: " + least + " cores)"
                : "OVERBOOKED: free capacity went down to " + least);
        if (least < 0) {
            System.exit(1);
        }

        int bookings = Integer.parseInt(System.getenv().getOrDefault("BENCH_BOOKINGS", "10"));
        System.out.println("== " + bookings + " short executions (a local session running `true`), for the transition lag");
        String quick = "{\"name\":\"lag\",\"executable\":{\"kind\":\"command\",\"cmd\":\"true\"},"
                + "\"resources\":{\"compute\":[{\"cores\":{\"min\":1,\"max\":1}}]},"
                + "\"schedule\":{\"requested\":[{\"duration\":{\"min\":\"PT1M\",\"max\":\"PT1M\"}}]},\"pool\":\"" + benchPool + "\"}";
        List<String> executions = new ArrayList<>();
        for (int i = 0; i < bookings; i++) {
            String set = body("POST", broker + "/api/v1/offersets", user, quick);
            Matcher offer = Pattern.compile("\"offers\":\\[\\{\"id\":\"([0-9a-f-]{36})\"").matcher(set);
            if (!offer.find()) {
                throw new IllegalStateException("no offer: " + set);
            }
            send("POST", broker + "/api/v1/executions/" + offer.group(1) + "/accept", user, null, 200);
            executions.add(offer.group(1));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        for (String execution : executions) {
            while (true) {
                String state = body("GET", broker + "/api/v1/executions/" + execution, user);
                if (state.contains("\"phase\":\"COMPLETED\"") || state.contains("\"phase\":\"FAILED\"")
                        || state.contains("\"phase\":\"CANCELLED\"")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("execution " + execution + " did not finish: " + state);
                }
                Thread.sleep(500);
            }
        }
        System.out.println("  all " + bookings + " finished");
    }

    /** Posts an offer request; true for a YES (at least one offer), false for a NO. */
    static boolean offerSetAnswer(String url, String token, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(request("POST", url, token, json), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().replace(" ", "").contains("\"result\":\"YES\"");
    }

    /** Seeds the pool up to {@code live} live reservations (bench/seed.sh); returns how many it holds then. */
    static int seedTo(String pool, int live) throws Exception {
        int now = liveCount(pool);
        if (live > now) {
            seed(pool, String.valueOf(live - now));
        }
        return liveCount(pool);
    }

    static int liveCount(String pool) throws Exception {
        return Integer.parseInt(seed(pool, "count").trim());
    }

    static String seed(String pool, String what) throws Exception {
        Process process = new ProcessBuilder(System.getenv().getOrDefault("BENCH_SEED", "execution-broker/bench/seed.sh"), pool, what)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("seed.sh " + pool + " " + what + " failed");
        }
        return out;
    }

    interface Call {
        void run() throws Exception;
    }

    /** What a sustained row prints beside each interval's figures. */
    interface Interval {
        int yes();

        String state();
    }

    /** How often a sustained row (at least twice this long) reports on its own. */
    static final Duration REPORT_EVERY = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BENCH_REPORT_EVERY", "60")));

    /** The live reservations of {@code pool} and the broker's resident memory (BENCH_BROKER_PID), for a sustained row. */
    static String stateOf(String pool) {
        String live;
        try {
            live = "live " + liveCount(pool);
        } catch (Exception e) {
            live = "live ? (" + e.getMessage() + ")";
        }
        String pid = System.getenv("BENCH_BROKER_PID");
        if (pid == null || pid.isBlank()) {
            return live;
        }
        try {
            String rss = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", pid.trim(), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
            return live + ", broker " + rss;
        } catch (java.io.IOException e) {
            return live + ", broker gone (" + e.getMessage() + ")";
        }
    }

    record Result(int count, Duration elapsed, long[] nanos) {
        double perSecond() {
            return count / (elapsed.toNanos() / 1e9);
        }

        double percentile(int p) {
            if (nanos.length == 0) {
                return 0;
            }
            int index = Math.min(nanos.length - 1, (int) Math.ceil(p / 100.0 * nanos.length) - 1);
            return nanos[Math.max(0, index)] / 1e6;
        }
    }

    static Result load(int clients, Duration duration, Call call) throws Exception {
        return load(clients, duration, call, null);
    }

    /**
     * Runs {@code clients} loops of {@code call} for {@code duration}; with a {@code beside} (a
     * sustained row), also prints every {@link #REPORT_EVERY} the calls, YES of them, p99 and what
     * {@code beside} says (live reservations, the broker's memory) for that interval alone, so a
     * slow-down or a leak shows as it builds up.
     */
    static Result load(int clients, Duration duration, Call call, Interval beside) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        java.util.concurrent.ScheduledExecutorService reporter = null;
        if (beside != null && duration.compareTo(REPORT_EVERY.multipliedBy(2)) >= 0) {
            reporter = Executors.newSingleThreadScheduledExecutor();
            int[] from = {0};
            int[] yesFrom = {beside.yes()};
            long[] minute = {0};
            reporter.scheduleAtFixedRate(() -> {
                long[] slice;
                synchronized (latencies) {
                    slice = latencies.subList(from[0], latencies.size()).stream().mapToLong(Long::longValue).toArray();
                    from[0] = latencies.size();
                }
                Arrays.sort(slice);
                int yes = beside.yes();
                Result interval = new Result(slice.length, REPORT_EVERY, slice);
                System.out.printf("%14s %8d %8d %10.1f %9.1f   %s%n", "+" + (++minute[0] * REPORT_EVERY.getSeconds()) + " s",
                        slice.length, yes - yesFrom[0], (yes - yesFrom[0]) / (double) REPORT_EVERY.getSeconds(),
                        interval.percentile(99), beside.state());
                yesFrom[0] = yes;
            }, REPORT_EVERY.toNanos(), REPORT_EVERY.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            System.out.printf("%14s %8s %8s %10s %9s   %s%n", "interval", "calls", "YES", "YES per s", "p99 ms", "then");
        }
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    call.run();
                    latencies.add(System.nanoTime() - t0);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        if (reporter != null) {
            reporter.shutdown(); // no more reports; one under way finishes (it reads the live count)
            reporter.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Result(sorted.length, Duration.ofNanos(System.nanoTime() - start), sorted);
    }

    static int send(String method, String url, String token, String json, int... expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request(method, url, token, json), HttpResponse.BodyHandlers.ofString());
        for (int status : expected) {
            if (response.statusCode() == status) {
                return status;
            }
        }
        throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
    }

    static String body(String method, String url, String token) throws Exception {
        return body(method, url, token, null);
    }

    static String body(String method, String url, String token, String json) throws Exception {
        return HTTP.send(request(method, url, token, json), HttpResponse.BodyHandlers.ofString()).body();
    }

    static HttpRequest request(String method, String url, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (json == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
