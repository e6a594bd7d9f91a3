package orrery.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import orrery.model.messaging.NatsUsers;
import orrery.model.time.SystemTimeSource;
import orrery.sim.OrrerySim;
import orrery.sim.controller.TimeController;
import orrery.testsupport.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay driver in the simulation: a real nats-server, the real time controller in-process
 * (expecting the participant {@code replay}), and a broker faked with the JDK's HTTP server that
 * asks the controller for the simulated time of every call. The replay runs through the command
 * line, in-process, as the end-to-end tests call it.
 */
class ReplayDriverTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static NatsServer server;
    private static Connection admin;
    private static SystemTimeSource wall;

    private final List<String> controllerLog = new CopyOnWriteArrayList<>();
    private TimeController controller;
    private CompletableFuture<Optional<String>> loop;
    private FakeBroker broker;

    @BeforeAll
    static void startNats() throws Exception {
        server = NatsServer.startWithOrreryUsers();
        admin = Nats.connect(server.options(NatsUsers.ADMIN).build());
        wall = new SystemTimeSource();
    }

    @AfterAll
    static void stopNats() throws Exception {
        wall.close();
        admin.close();
        server.close();
    }

    @BeforeEach
    void startController() throws Exception {
        controller = new TimeController(admin, wall, TimeController.Settings.of(T0, Set.of("replay")).confirmTimeout(Duration.ofSeconds(1)),
                controllerLog::add);
        controller.start();
        loop = CompletableFuture.supplyAsync(controller::run);
        broker = new FakeBroker(admin);
    }

    @AfterEach
    void stopController() throws Exception {
        broker.close();
        controller.close();
        loop.get(5, TimeUnit.SECONDS);
    }

    private record Result(int code, String out, String err) {
    }

    private Result replay(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("ORRERY_NATS_PASSWORD", server.password(NatsUsers.ADMIN)));
        env.putAll(extraEnv);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 7];
        all[0] = "replay";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(new String[] {"--broker", broker.url().toString(), "--nats", server.url(), "--progress", "PT0S"}, 0, all,
                args.length + 1, 6);
        int code = OrrerySim.run(env, new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void threeRequestsAnHourApartAreSubmittedAtTheirSimulatedInstantsAndFollowedToTheirEnd(@TempDir Path dir) throws Exception {
        Result r = replay(Map.of("ORRERY_TOKEN", "test-token"), "--workload", "src/test/resources/workloads/three-hourly.swf",
                "--items", "0", "--window", "PT1H", "--out", dir.resolve("report").toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(dir.resolve("report/summary.json").toAbsolutePath().toString());

        List<FakeBroker.Call> asks = broker.calls("POST", "/api/v1/offersets");
        assertThat(asks).extracting(FakeBroker.Call::simulatedAt)
                .containsExactly(T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
        for (int i = 0; i < 3; i++) {
            JsonNode body = asks.get(i).body();
            assertThat(body.path("schedule").path("requested").get(0).path("start").asText())
                    .isEqualTo(T0.plus(Duration.ofHours(i)) + "/PT1H"); // the window opens at the submit time
            assertThat(body.path("schedule").path("requested").get(0).path("duration").path("min").asText()).isEqualTo("PT30M");
            assertThat(body.path("executable").path("env").path("ORRERY_SIM_RUNTIME").asText()).isEqualTo("PT20M");
            assertThat(body.path("executable").path("env").path("ORRERY_SIM_EXIT").asText()).isEqualTo("0");
            assertThat(body.path("name").asText()).isEqualTo("replay-" + i + "-" + (i + 1));
        }
        assertThat(asks).extracting(c -> c.body().path("resources").path("compute").get(0).path("cores").path("min").asInt())
                .containsExactly(2, 4, 1);
        assertThat(broker.calls).allSatisfy(c -> assertThat(c.token()).isEqualTo("test-token"));
        // each accepted at once, the first offer (--accept first)
        assertThat(broker.calls("POST", "/api/v1/executions/")).extracting(FakeBroker.Call::simulatedAt)
                .containsExactly(T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
        // looked at one second after the last booked end (02:00 + 10 min + 30 min), then the histories read
        Instant check = T0.plus(Duration.ofMinutes(160)).plusSeconds(1);
        assertThat(broker.calls).filteredOn(c -> c.method().equals("GET") && c.path().matches("/api/v1/executions/[^/]+"))
                .hasSize(3).allSatisfy(c -> assertThat(c.simulatedAt()).isEqualTo(check));
        assertThat(broker.calls("GET", "/api/v1/executions/").stream().filter(c -> c.path().endsWith("/events"))).hasSize(3);
        assertThat(controller.time().now()).isEqualTo(check);

        JsonNode summary = JSON.readTree(dir.resolve("report/summary.json").toFile());
        assertThat(summary.path("bookings").asInt()).isEqualTo(3);
        assertThat(summary.path("accepted").asInt()).isEqualTo(3);
        assertThat(summary.path("offersMade").asInt()).isEqualTo(6);
        assertThat(summary.path("completed").asInt()).isEqualTo(3);
        assertThat(summary.path("waitToStartSeconds").path("p50").asDouble()).isEqualTo(600.0);
        assertThat(summary.path("simulated").path("start").asText()).isEqualTo(T0.toString());
        assertThat(summary.path("simulated").path("end").asText()).isEqualTo(check.toString());
        assertThat(summary.path("poolUtilisation").path("capacityCoreHours").asDouble()).isEqualTo(64 * (160 / 60.0 + 1 / 3600.0),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(summary.path("historyDigest").asText()).startsWith("sha256:");
        // one advance per event: the first submit waits once for T0 to settle (time had not moved for it
        // yet), the later ones come at instants woken for the replay alone, then the check: 1 + 1 + 1 + 1
        // (every submit waiting an epoch to settle would make it 7)
        assertThat(summary.path("advances").asLong()).isEqualTo(4);
        assertThat(Files.readAllLines(dir.resolve("report/bookings.csv"))).hasSize(4);
        assertThat(dir.resolve("report/capacity.png")).isRegularFile();
        assertThat(controllerLog).anySatisfy(line -> assertThat(line).contains("replay joined")).anySatisfy(line -> assertThat(line).contains("replay left"));
    }

    @Test
    void aLaterStartTheLatestOfferCancelsAndOneSignedTokenPerUser(@TempDir Path dir) throws Exception {
        Path key = privateKey(dir);
        Instant start = T0.plus(Duration.ofDays(1));
        Result r = replay(Map.of(), "--generate", "--count", "2", "--seed", "3", "--rate", "1", "--items", "1", "--item-size", "5000",
                "--duration", "PT1H", "--window", "PT0S", "--cancel-rate", "1", "--users", "2", "--accept", "latest", "--no-isolate",
                "--start", start.toString(), "--jwt-key", key.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isZero();

        List<FakeBroker.Call> asks = broker.calls("POST", "/api/v1/offersets");
        assertThat(asks).hasSize(2);
        assertThat(asks.get(0).simulatedAt()).isEqualTo(start);
        JsonNode item = asks.get(0).body().path("resources").path("data").get(0);
        assertThat(item.path("location").path("url").asText()).isEqualTo("https://data.sim.invalid/replay/0/item-1.dat");
        assertThat(item.path("checks").path("size").asLong()).isEqualTo(5000);
        // the latest offer is the second (20 minutes into the window)
        List<FakeBroker.Call> accepts = broker.calls.stream().filter(c -> c.path().endsWith("/accept")).toList();
        assertThat(accepts).hasSize(2);
        List<FakeBroker.Call> cancels = broker.calls.stream().filter(c -> c.path().endsWith("/cancel")).toList();
        assertThat(cancels).hasSize(2).allSatisfy(c -> assertThat(c.simulatedAt()).isAfterOrEqualTo(start));
        JsonNode summary = JSON.readTree(dir.resolve("out/summary.json").toFile());
        assertThat(summary.path("cancels").path("cancelled").asInt()).isEqualTo(2);
        assertThat(summary.path("cancelled").asInt()).isEqualTo(2);
        assertThat(summary.path("accept").asText()).isEqualTo("latest");
        // the latest offer starts 20 minutes after the submit time (the fake's second); each cancel came at its cancel time
        List<String[]> rows = Files.readAllLines(dir.resolve("out/bookings.csv")).stream().skip(1).map(l -> l.split(",", -1)).toList();
        int submitAt = ReplayReport.CSV_COLUMNS.indexOf("submit_at");
        int startAt = ReplayReport.CSV_COLUMNS.indexOf("start");
        int cancelAt = ReplayReport.CSV_COLUMNS.indexOf("cancel_at");
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(Duration.between(Instant.parse(row[submitAt]), Instant.parse(row[startAt])))
                .isEqualTo(Duration.ofMinutes(20)));
        assertThat(cancels).extracting(FakeBroker.Call::simulatedAt)
                .containsExactlyElementsOf(rows.stream().map(row -> Instant.parse(row[cancelAt])).sorted().toList());
        // tokens are RS256 JWTs naming the workload's users
        assertThat(broker.calls).allSatisfy(c -> {
            String[] parts = c.token().split("\\.");
            assertThat(parts).hasSize(3);
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            assertThat(claims.path("sub").asText()).matches("sim-user-[12]");
            assertThat(claims.path("iss").asText()).isEqualTo("https://orrery.local/issuer");
            assertThat(claims.path("aud").asText()).isEqualTo("orrery");
        });
    }

    @Test
    void aRefusedTokenEndsTheReplayAtOnceAndSaysWhy(@TempDir Path dir) {
        Result r = replay(Map.of("ORRERY_TOKEN", "refused"), "--generate", "--count", "5", "--out", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(orrery.sim.cli.ExitCodes.FAILED);
        assertThat(r.err()).contains("the broker refused the token (http-401 unauthenticated: the token's signature does not verify)");
        assertThat(broker.calls).hasSize(1); // the pool, and nothing after it
    }

    @Test
    void anUnreachableBrokerIsExitCode7(@TempDir Path dir) {
        Map<String, String> env = new HashMap<>(Map.of("ORRERY_NATS_PASSWORD", server.password(NatsUsers.ADMIN), "ORRERY_TOKEN", "t"));
        StringWriter err = new StringWriter();
        int code = OrrerySim.run(env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "replay", "--generate",
                "--count", "2", "--out", dir.toString(), "--broker", "http://127.0.0.1:1", "--http-retry", "PT0.3S", "--nats", server.url(),
                "--progress", "PT0S");
        assertThat(code).as(err.toString()).isEqualTo(ReplayCommand.BROKER_UNREACHABLE);
        assertThat(err.toString()).contains("the broker at http://127.0.0.1:1/ did not answer GET /api/v1/pools/default within PT0.3S");
    }

    private static Path privateKey(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        Path file = dir.resolve("private.pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
        return file;
    }
}
