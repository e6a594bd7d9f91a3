package orrery.e2e;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import orrery.testsupport.ServiceProcess;

/**
 * Benchmark, not a test (deploy/e2e/bench/faults.sh runs it): how long each of the five services
 * takes to report ready again after NATS is killed with SIGKILL and restarted, and after
 * PostgreSQL is stopped at once and restarted, over several rounds. Beside it, measured in the same
 * rounds, the baseline: how long the restarted server itself took to accept connections, which no
 * service can beat. Prints median and max per service.
 */
@EnabledIfSystemProperty(named = "orrery.bench", matches = "faults")
class FaultRecoveryBench {

    private static final List<String> SERVICES = List.of("staging-service", "canfar-adapter", "execution-broker",
            "fs-watcher", "dependency-manager");
    /** The fs-watcher keeps no database: PostgreSQL's outage does not touch it. */
    private static final List<String> WITH_DATABASE = SERVICES.stream().filter(s -> !s.equals("fs-watcher")).toList();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void recoveryTimes() throws Exception {
        int rounds = Integer.getInteger("orrery.bench.rounds", 5);
        try (Suite suite = new Suite(SERVICES)) {
            Map<String, List<Long>> nats = new LinkedHashMap<>();
            Map<String, List<Long>> postgres = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                record(nats, outage(suite, SERVICES, suite.nats::kill, suite.nats::restart));
                record(postgres, outage(suite, WITH_DATABASE, suite.postgres::stop, suite.postgres::restart));
            }
            System.out.printf("%nrecovery after a restart, %d rounds (ms; baseline = the server's own restart)%n", rounds);
            System.out.printf("%-22s %14s %14s %14s %14s%n", "", "NATS median", "NATS max", "PG median", "PG max");
            for (String name : nats.keySet()) {
                List<Long> pg = postgres.getOrDefault(name, List.of());
                System.out.printf("%-22s %14d %14d %14s %14s%n", name, median(nats.get(name)), max(nats.get(name)),
                        pg.isEmpty() ? "-" : Long.toString(median(pg)), pg.isEmpty() ? "-" : Long.toString(max(pg)));
            }
        }
    }

    /** Ms from "restart asked" to ready, per service, and to the server accepting connections ("baseline"). */
    private static Map<String, Long> outage(Suite suite, List<String> affected, Runnable down, Runnable up) {
        down.run();
        for (String service : affected) {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ready(suite.service(service)) != 200);
        }
        long start = System.nanoTime();
        up.run(); // returns once the server accepts connections
        Map<String, Long> times = new LinkedHashMap<>();
        times.put("baseline (server up)", (System.nanoTime() - start) / 1_000_000);
        Map<String, Long> pending = new HashMap<>();
        affected.forEach(s -> pending.put(s, 0L));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (String service : List.copyOf(pending.keySet())) {
                if (ready(suite.service(service)) == 200) {
                    pending.remove(service);
                    times.put(service, (System.nanoTime() - start) / 1_000_000);
                }
            }
            return pending.isEmpty();
        });
        return times;
    }

    private static void record(Map<String, List<Long>> into, Map<String, Long> round) {
        round.forEach((name, ms) -> into.computeIfAbsent(name, n -> new ArrayList<>()).add(ms));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static int ready(ServiceProcess service) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
