package orrery.sim.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import orrery.sim.replay.BrokerClient.PhaseChange;
import orrery.sim.workload.Request;
import orrery.sim.workload.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a tiny, known replay: four requests on a 10-core pool over four hours: one completes,
 * one fails in staging, one is refused, one is accepted and cancelled before it starts.
 */
class ReplayReportTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Request request(int position, int cores, String name) {
        return new Request(position, name, "u", Duration.ofMinutes(30L * position), cores, null, Duration.ofHours(1), Duration.ofHours(1),
                List.of(new Request.DataItem("x.dat", 1000)), Request.Kind.COMMAND, null, null, null, false);
    }

    private static PhaseChange at(String phase, long minutes, String reason) {
        return new PhaseChange(phase, T0.plus(Duration.ofMinutes(minutes)), reason);
    }

    static ReplayReport.Run tinyRun() throws Exception {
        List<Request> requests = List.of(request(0, 4, "a"), request(1, 2, "b, with a comma"), request(2, 16, "c"), request(3, 1, "d"));
        Workload workload = new Workload("tiny", requests, Map.of("no submit time", 2), 10);

        Booking a = new Booking(requests.get(0), T0, "u"); // completes: runs 00:10-01:10, waited 10 min, on time
        a.answer = Booking.Answer.YES;
        a.offers = 3;
        a.execution = UUID.randomUUID();
        a.cores = 4;
        a.preparingStart = T0.plus(Duration.ofMinutes(5));
        a.start = T0.plus(Duration.ofMinutes(10));
        a.duration = Duration.ofHours(1);
        a.finalPhase = "COMPLETED";
        a.history = List.of(at("OFFERED", 0, null), at("ACCEPTED", 0, null), at("PREPARING", 5, null), at("WAITING", 8, null),
                at("RUNNING", 10, null), at("FINISHING", 70, null), at("COMPLETED", 70, null));

        Booking b = new Booking(requests.get(1), T0.plus(Duration.ofMinutes(30)), "u"); // fails staging at 00:40
        b.answer = Booking.Answer.YES;
        b.offers = 2;
        b.execution = UUID.randomUUID();
        b.cores = 2;
        b.preparingStart = T0.plus(Duration.ofMinutes(35));
        b.start = T0.plus(Duration.ofMinutes(40));
        b.duration = Duration.ofHours(1);
        b.finalPhase = "FAILED";
        b.finalReason = "staging x.dat failed: MD5 mismatch: expected 0123456789abcdef0123456789abcdef, received ffffffffffffffffffffffffffffffff";
        b.history = List.of(at("OFFERED", 30, null), at("ACCEPTED", 30, null), at("PREPARING", 35, null), at("FAILED", 38, b.finalReason));

        Booking c = new Booking(requests.get(2), T0.plus(Duration.ofMinutes(60)), "u"); // refused
        c.answer = Booking.Answer.NO;
        c.reason = "16 cores exceed the pool's capacity of 10 between 2026-03-01T01:00:00Z and 2026-03-01T03:00:00Z";

        Booking d = new Booking(requests.get(3), T0.plus(Duration.ofMinutes(90)), "u"); // cancelled while waiting; runs 0 s
        d.answer = Booking.Answer.YES;
        d.offers = 1;
        d.execution = UUID.randomUUID();
        d.cores = 1;
        d.preparingStart = T0.plus(Duration.ofMinutes(100));
        d.start = T0.plus(Duration.ofMinutes(110));
        d.duration = Duration.ofHours(1);
        d.cancelAt = T0.plus(Duration.ofMinutes(105));
        d.cancelOutcome = "cancelled";
        d.finalPhase = "CANCELLED";
        d.history = List.of(at("OFFERED", 90, null), at("ACCEPTED", 90, null), at("PREPARING", 100, null), at("CANCELLED", 105, null));

        JsonNode pool = JSON.readTree("{\"name\": \"p\", \"segments\": [{\"start_time\": " + T0.getEpochSecond() + ", \"end_time\": "
                + T0.plus(Duration.ofHours(2)).getEpochSecond() + ", \"capacity\": 10}, {\"start_time\": "
                + T0.plus(Duration.ofHours(2)).getEpochSecond() + ", \"end_time\": 4102444800, \"capacity\": 20}]}");
        return new ReplayReport.Run(workload, List.of(a, b, c, d), "p", pool, T0, T0.plus(Duration.ofHours(4)), 25,
                Duration.ofSeconds(2).toNanos(), "first", 1);
    }

    @Test
    void theSummaryCountsWhatHappened() throws Exception {
        JsonNode s = JSON.readTree(ReplayReport.summary(tinyRun()).toString());
        assertThat(s.path("workload").path("requests").asInt()).isEqualTo(4);
        assertThat(s.path("workload").path("skipped").asInt()).isEqualTo(2);
        assertThat(s.path("bookings").asInt()).isEqualTo(4);
        assertThat(s.path("offerSets").path("yes").asInt()).isEqualTo(3);
        assertThat(s.path("offerSets").path("no").asInt()).isEqualTo(1);
        assertThat(s.path("offersMade").asInt()).isEqualTo(6);
        assertThat(s.path("accepted").asInt()).isEqualTo(3);
        assertThat(s.path("refused").path("total").asInt()).isEqualTo(1);
        assertThat(s.path("refused").path("byReason").fieldNames()).toIterable()
                .containsExactly("no: <n> cores exceed the pool's capacity of <n> between <time> and <time>");
        assertThat(s.path("completed").asInt()).isEqualTo(1);
        assertThat(s.path("failed").path("total").asInt()).isEqualTo(1);
        assertThat(s.path("failed").path("byReason").fieldNames()).toIterable()
                .containsExactly("staging x.dat failed: MD5 mismatch: expected <hex>, received <hex>");
        assertThat(s.path("cancelled").asInt()).isEqualTo(1);
        assertThat(s.path("cancels").path("cancelled").asInt()).isEqualTo(1);
        assertThat(s.path("unfinished").asInt()).isZero();

        // capacity: 10 cores for 2 h, 20 for 2 h = 60 core-hours; reserved: a 4 x 65 min, b 2 x 3 min, d 1 x 5 min;
        // running: a 4 x 60 min
        JsonNode u = s.path("poolUtilisation");
        assertThat(u.path("capacityCoreHours").asDouble()).isEqualTo(60.0);
        assertThat(u.path("reservedCoreHours").asDouble()).isEqualTo((4 * 65 + 2 * 3 + 5) / 60.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(u.path("runningCoreHours").asDouble()).isEqualTo(4.0);
        assertThat(u.path("running").asDouble()).isEqualTo(4.0 / 60, org.assertj.core.data.Offset.offset(0.0001));

        assertThat(s.path("waitToStartSeconds").path("count").asInt()).isEqualTo(1);
        assertThat(s.path("waitToStartSeconds").path("p50").asDouble()).isEqualTo(600.0);
        assertThat(s.path("waitToStartSeconds").path("p95").asDouble()).isEqualTo(600.0);
        assertThat(s.path("latenessSeconds").path("late").asInt()).isZero();
        assertThat(s.path("latenessSeconds").path("max").asDouble()).isEqualTo(0.0);
        assertThat(s.path("simulated").path("spanSeconds").asDouble()).isEqualTo(4 * 3600.0);
        assertThat(s.path("wallSeconds").asDouble()).isEqualTo(2.0);
        assertThat(s.path("speedUp").asDouble()).isEqualTo(7200.0);
        assertThat(s.path("advances").asInt()).isEqualTo(25);
        assertThat(s.path("advancesPerSecond").asDouble()).isEqualTo(12.5);
        assertThat(s.path("historyDigest").asText()).isEqualTo(
                HistoryDigest.of(tinyRun().origin(), tinyRun().bookings().stream().map(HistoryDigest::entry).toList()));
    }

    @Test
    void percentilesAreNearestRank() {
        List<Double> values = java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> (double) i).toList();
        assertThat(ReplayReport.percentile(values, 50)).isEqualTo(10.0);
        assertThat(ReplayReport.percentile(values, 95)).isEqualTo(19.0);
        assertThat(ReplayReport.percentile(List.of(7.0), 95)).isEqualTo(7.0);
    }

    @Test
    void theCsvHasOneRowPerRequestQuotedWhereNeeded() {
        String csv = ReplayReport.csv(List.of(tinyRunUnchecked().bookings().toArray(new Booking[0])));
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo(String.join(",", ReplayReport.CSV_COLUMNS));
        assertThat(lines.get(1)).startsWith("0,a,u,2026-03-01T00:00:00Z,4,,PT1H,PT1H,1,1000,command,false,YES,3,,")
                .endsWith(",COMPLETED,,2026-03-01T00:10:00Z,2026-03-01T01:10:00Z,2026-03-01T01:10:00Z,600.0,0.0");
        assertThat(lines.get(2)).startsWith("1,\"b, with a comma\",u,");
        assertThat(lines.get(3)).contains(",NO,0,16 cores exceed");
        assertThat(ReplayReport.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }

    @Test
    void theFolderHoldsTheSummaryTheCsvAndPlotsThatDecode(@TempDir Path dir) throws Exception {
        Path summary = ReplayReport.write(dir.resolve("report"), tinyRun());
        assertThat(summary).isEqualTo(dir.resolve("report/summary.json")).isRegularFile();
        assertThat(JSON.readTree(summary.toFile()).path("accepted").asInt()).isEqualTo(3);
        assertThat(dir.resolve("report/bookings.csv")).isRegularFile();
        for (String plot : List.of("capacity", "requests-per-hour", "wait-histogram")) {
            BufferedImage png = ImageIO.read(dir.resolve("report/" + plot + ".png").toFile());
            assertThat(png).as(plot + ".png").isNotNull();
            assertThat(png.getWidth()).isEqualTo(960);
            var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("report/" + plot + ".svg").toFile());
            assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(svg.getElementsByTagName("polyline").getLength() + svg.getElementsByTagName("rect").getLength()).isPositive();
        }
        String capacity = Files.readString(dir.resolve("report/capacity.svg"));
        assertThat(capacity).contains("capacity (p)", "reserved", "running");
    }

    private static ReplayReport.Run tinyRunUnchecked() {
        try {
            return tinyRun();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
