package orrery.sim.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import orrery.model.messaging.NatsUsers;
import orrery.sim.OrrerySim;
import orrery.testsupport.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orrery-sim model} and {@code model experiment} as a person runs them, against a real nats-server. */
class ModelCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINE = Pattern.compile("^(\\S+) (received|sent|internal) clock=(\\d+)(?: jump=(\\d+))?.*$");

    private static NatsServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startNats() {
        server = NatsServer.startWithOrreryUsers();
    }

    @AfterAll
    static void stopNats() {
        server.close();
    }

    private record Result(int code, String out, String err) {
    }

    private static Result sim(String... args) {
        Map<String, String> env = new HashMap<>(server.loginEnvironment(NatsUsers.ADMIN));
        env.put("ORRERY_NATS_URL", server.url());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = OrrerySim.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void theExperimentWritesANotebookWhoseFiguresAgreeWithTheLogs() throws IOException {
        Path report = dir.resolve("report");
        Path discussion = Files.writeString(dir.resolve("discussion.md"), "The slow machine's queue grew, as predicted.");
        Result r = sim("model", "experiment", "--duration", "PT20S", "--seeds", "2", "--out", report.toString(),
                "--discussion", discussion.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(report.resolve("notebook.md").toAbsolutePath().toString());
        String notebook = Files.readString(report.resolve("notebook.md"));
        for (String group : List.of("default", "narrow-rates", "fewer-internal", "slow-among-fast", "twenty-machines")) {
            assertThat(notebook).contains("(`" + group + "`)");
            for (int seed = 1; seed <= 2; seed++) {
                Path run = report.resolve(group).resolve("seed-" + seed);
                for (String chart : RunReport.CHARTS) {
                    assertThat(run.resolve(chart + ".svg")).isNotEmptyFile();
                    assertThat(run.resolve(chart + ".png")).isNotEmptyFile();
                    assertThat(Files.readString(run.resolve(chart + ".svg"))).contains("<svg", "</svg>");
                }
                assertThat(notebook).contains(group + "/seed-1/clocks.svg");
                logsAgreeWithTheSummary(run);
            }
        }
        assertThat(Files.readAllLines(report.resolve("runs.csv"))).hasSize(1 + 5 * 2);
        assertThat(Files.readAllLines(report.resolve("machines.csv"))).hasSize(1 + 2 * (3 + 3 + 3 + 3 + 20));
        assertThat(notebook).contains("## Across runs", "## The queueing prediction", "| slow-among-fast | 1 | m0 | 1 |",
                "The slow machine's queue grew, as predicted.");
        assertThat(report.resolve("twenty-machines/seed-1/shiviz.log")).isNotEmptyFile();
    }

    /** Counts and the largest jump in summary.json are those of the machines' own log files. */
    private static void logsAgreeWithTheSummary(Path run) throws IOException {
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        long events = 0;
        for (JsonNode m : summary.get("machines")) {
            int id = Integer.parseInt(m.get("machine").asText().substring(1));
            Map<String, Long> kinds = new HashMap<>();
            long maxJump = 0;
            long lastClock = 0;
            try (Stream<String> lines = Files.lines(run.resolve("machine-" + id + ".log"))) {
                for (String line : (Iterable<String>) lines::iterator) {
                    Matcher match = LINE.matcher(line);
                    assertThat(match.matches()).as(line).isTrue();
                    kinds.merge(match.group(2), 1L, Long::sum);
                    long clock = Long.parseLong(match.group(3));
                    long jump = match.group(4) == null ? clock - lastClock : Long.parseLong(match.group(4));
                    assertThat(clock - lastClock).as("the logged jump is the clock's move: " + line).isEqualTo(jump);
                    maxJump = Math.max(maxJump, jump);
                    lastClock = clock;
                    events++;
                }
            }
            assertThat(kinds.getOrDefault("received", 0L)).as(run + " m" + id).isEqualTo(m.get("received").asLong());
            assertThat(kinds.getOrDefault("sent", 0L)).isEqualTo(m.get("sent").asLong());
            assertThat(kinds.getOrDefault("internal", 0L)).isEqualTo(m.get("internal").asLong());
            assertThat(maxJump).isEqualTo(m.get("maxJump").asLong());
        }
        assertThat(events).isEqualTo(summary.get("events").asLong()).isPositive();
    }

    @Test
    void aQueueGrowsAtTheRateTheArrivalsPredict() throws Exception {
        try (Connection nats = Nats.connect(server.options(NatsUsers.ADMIN).build())) {
            RunOutcome run = new ModelRunner(nats, false, Duration.ofSeconds(20)).run(
                    ModelSettings.CLASSIC.withFixedRates(List.of(1, 6, 6)).withDuration(Duration.ofMinutes(3)), null, e -> {
                    });
            List<Queueing> q = Queueing.of(run);
            Queueing slow = q.get(0);
            assertThat(slow.predictedGrowth()).as("letters reach the rate-1 machine faster than it ticks").isGreaterThan(0.5);
            assertThat(slow.measuredGrowth()).as(slow.toString()).isCloseTo(slow.predictedGrowth(),
                    org.assertj.core.data.Percentage.withPercentage(25));
            assertThat(slow.measuredArrival()).isCloseTo(slow.predictedArrival(), org.assertj.core.data.Percentage.withPercentage(15));
            assertThat(q.subList(1, 3)).as("the fast machines keep up").allSatisfy(f -> {
                assertThat(f.grows()).isFalse();
                assertThat(f.predictedGrowth()).isZero();
            });
        }
    }

    @Test
    void oneRunWritesLogsShivizAndChartsAndSaysWhereTheSummaryIs() throws IOException {
        Path out = dir.resolve("run");
        Result r = sim("model", "--machines", "4", "--duration", "PT10S", "--seed", "3", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(out.resolve("summary.json").toAbsolutePath().toString());
        assertThat(r.err()).contains("4 machines", "letters over NATS");
        logsAgreeWithTheSummary(out);
        List<String> shiviz = Files.readAllLines(out.resolve("shiviz.log"));
        assertThat(shiviz.get(0)).isEqualTo(ShivizLog.REGEX);
        assertThat(shiviz.get(1)).isEmpty();
        Pattern regex = Pattern.compile(ShivizLog.REGEX);
        assertThat(shiviz.subList(2, shiviz.size())).isNotEmpty().allSatisfy(line -> {
            Matcher m = regex.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            assertThat(m.group("clock")).as("the host is in its own clock").contains("\"" + m.group("host") + "\":");
        });
    }

    @Test
    void theSameSeedWritesTheSameLogs() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertThat(sim("model", "--duration", "PT30S", "--seed", "11", "--out", a.toString()).code()).isZero();
        assertThat(sim("model", "--duration", "PT30S", "--seed", "11", "--out", b.toString()).code()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readString(a.resolve("machine-" + i + ".log"))).isEqualTo(Files.readString(b.resolve("machine-" + i
                    + ".log")));
        }
        assertThat(Files.readString(a.resolve("shiviz.log"))).isEqualTo(Files.readString(b.resolve("shiviz.log")));
    }

    @Test
    void aRealTimeRunTicksOnTheWallClock() throws IOException {
        Path out = dir.resolve("real");
        Result r = sim("model", "--real", "--duration", "PT2S", "--fixed-rates", "5,5", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("clock").asText()).isEqualTo("real");
        assertThat(summary.get("wallSeconds").asDouble()).as("a real run lasts its duration").isGreaterThanOrEqualTo(2.0);
        Instant logged = Instant.parse(Files.readAllLines(out.resolve("machine-0.log")).get(0).split(" ")[0]);
        assertThat(Duration.between(logged, Instant.now()).abs()).as("real time logs the system time").isLessThan(Duration.ofMinutes(1));
        for (JsonNode m : summary.get("machines")) {
            assertThat(m.get("ticks").asLong()).as("5 ticks a second for 2 s").isBetween(8L, 10L);
        }
    }

    @Test
    void wrongOptionsAreRefusedWithWhatIsWrong() {
        Map<String[], String> cases = new java.util.LinkedHashMap<>();
        cases.put(new String[] {"model", "--machines", "1"}, "at least 2 machines");
        cases.put(new String[] {"model", "--rates", "0..3"}, "1 or more");
        cases.put(new String[] {"model", "--rates", "6..2"}, "empty");
        cases.put(new String[] {"model", "--internal", "11"}, "0 to 10");
        cases.put(new String[] {"model", "--peers", "star"}, "ring or random");
        cases.put(new String[] {"model", "--fixed-rates", "1,0,6"}, "fixed rate");
        cases.put(new String[] {"model", "--vector-clocks", "maybe"}, "auto, on or off");
        cases.put(new String[] {"model", "--duration", "a minute"}, "--duration");
        cases.put(new String[] {"model", "experiment", "--seeds", "0"}, "--seeds is 1 or more");
        cases.put(new String[] {"model", "experiment", "--discussion", "/nonexistent/notes.md"}, "no file");
        cases.forEach((args, message) -> {
            Result r = sim(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).contains(message);
        });
    }
}
