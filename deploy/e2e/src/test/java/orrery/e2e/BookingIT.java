package orrery.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import orrery.testsupport.Jupyter;
import orrery.testsupport.PodmanTestResource;
import orrery.testsupport.ServiceProcess;

/**
 * A booking from request to COMPLETED through the real services: offers from the broker (quotes
 * from the staging service and the CANFAR adapter over NATS), a small program and its data
 * staged from a local HTTP server and checked, a local session that runs it, and the session
 * ended. Then the ways it can go wrong.
 */
class BookingIT {

    private static Suite suite;

    @BeforeAll
    static void start() throws Exception {
        // With podman here, container sessions too: the test image's registry allow-listed, podman's settings for this machine.
        suite = new Suite(List.of("staging-service", "canfar-adapter", "execution-broker"), PodmanTestResource.suiteSettings());
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private final Bookings b = new Bookings(suite);

    @Test
    void aBookingIsStagedRunAndCompleted() throws Exception {
        String user = "ada@example.org"; // an e-mail-like name travels through every service
        String token = suite.tokens.token(user);
        Bookings.Served f = b.serve("happy");

        String id = b.book(token, b.request(f, "/files/" + f.data(), f.dataMd5()));

        JsonNode done = b.awaitPhase(token, id, "COMPLETED");
        Path folder = suite.storage.resolve("home/" + user + "/broker/" + id);
        assertThat(folder.resolve(f.data())).hasBinaryContent(Files.readAllBytes(suite.files.root().resolve(f.data())));
        assertThat(folder.resolve(f.program())).exists();
        String session = done.path("session").path("id").asText();
        String log = suite.text(suite.service("canfar-adapter").url() + "/api/v1/sessions/" + session + "/logs", token);
        assertThat(log).contains("sha256 " + Bookings.sha256(Files.readAllBytes(suite.files.root().resolve(f.data()))));
        assertThat(done.path("tasks").findValuesAsText("state")).containsOnly("COMPLETED");
        List<String> phases = b.phases(token, id);
        assertThat(phases).containsSubsequence("ACCEPTED", "PREPARING", "WAITING", "RUNNING", "FINISHING", "COMPLETED");
    }

    /**
     * What {@code deploy/local/demo.sh --notebook} books, end to end: the demo notebook and its data are
     * staged, a notebook session executes the notebook with Jupyter (headless), and the executed
     * notebook beside it holds what the analysis printed.
     */
    @Test
    void theDemoNotebookIsExecutedInANotebookSession() throws Exception {
        Jupyter.assumeInstalled();
        String token = suite.tokens.token("nia");
        Path demo = suite.root().resolve("deploy/local/demo");
        byte[] notebook = Files.readAllBytes(demo.resolve("analysis.ipynb"));
        byte[] data = Files.readAllBytes(demo.resolve("data.csv"));
        Files.write(suite.files.root().resolve("analysis.ipynb"), notebook);
        Files.write(suite.files.root().resolve("data.csv"), data);
        Map<String, Object> request = Map.of("name", "demo-notebook",
                "executable", Map.of("kind", "jupyter-notebook", "location", Map.of("url", suite.files.url("/files/analysis.ipynb")),
                        "checks", Map.of("size", notebook.length, "md5", Bookings.md5(notebook))),
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 1, "max", 2), "memory", Map.of("min", 1, "max", 2))),
                        "data", List.of(Map.of("name", "data.csv", "location", Map.of("url", suite.files.url("/files/data.csv")),
                                "checks", Map.of("size", data.length, "md5", Bookings.md5(data))))),
                "schedule", Map.of("requested", List.of(Map.of("duration", Map.of("min", "PT2M", "max", "PT5M")))));

        String id = b.book(token, request);

        JsonNode done = b.awaitPhase(token, id, "COMPLETED");
        assertThat(done.path("tasks").findValuesAsText("state")).containsOnly("COMPLETED");
        Path executed = suite.storage.resolve("home/nia/broker/" + id + "/analysis-executed.ipynb");
        assertThat(executed).exists();
        assertThat(Files.readString(executed)).as("what the executed notebook printed").contains("mean flux 1.0197, stdev 0.0671");
    }

    /**
     * A container booking: the data staged, the image's shell run by podman in the session folder with the data also
     * mounted at /input, the session ended.
     */
    @Test
    void aContainerImageRunsOnTheStagedData() throws Exception {
        PodmanTestResource.assumeInstalled();
        String token = suite.tokens.token("cleo");
        Bookings.Served f = b.serve("container");
        Map<String, Object> request = Map.of("name", "in-a-container",
                "executable", Map.of("kind", "container", "image", PodmanTestResource.IMAGE,
                        "digest", PodmanTestResource.digest(), "entrypoint", "/bin/sh",
                        "args", List.of("-c", "cd /input && sha256sum " + f.data() + " > /session/sums.txt; "
                                + "echo \"ran in $ORRERY_WORKDIR\"")),
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 1, "max", 1))),
                        "data", List.of(Map.of("name", f.data(), "location", Map.of("url", suite.files.url("/files/" + f.data())),
                                "checks", Map.of("size", f.dataSize(), "md5", f.dataMd5()))),
                        "volumes", List.of(Map.of("path", "/input", "data", List.of(f.data())))),
                "schedule", Map.of("requested", List.of(Map.of("duration", Map.of("min", "PT2M", "max", "PT2M")))));

        String id = b.book(token, request);

        JsonNode done = b.awaitPhase(token, id, "COMPLETED");
        assertThat(done.path("tasks").findValuesAsText("state")).containsOnly("COMPLETED");
        Path sums = suite.storage.resolve("home/cleo/broker/" + id + "/sums.txt");
        assertThat(Files.readString(sums)).startsWith(Bookings.sha256(f.bytes()) + "  " + f.data());
        String session = done.path("session").path("id").asText();
        String log = suite.text(suite.service("canfar-adapter").url() + "/api/v1/sessions/" + session + "/logs", token);
        assertThat(log).contains("ran in /session");
    }

    /** A data item given as an IVOA DataLink document: the staging service reads its #this row and stages that file. */
    @Test
    void aDataLinkDocumentIsResolvedToTheFileItDescribes() throws Exception {
        String token = suite.tokens.token("dara");
        Bookings.Served f = b.serve("datalink");
        String links = "<?xml version=\"1.0\"?><VOTABLE version=\"1.3\"><RESOURCE type=\"results\"><TABLE>"
                + "<FIELD name=\"ID\" datatype=\"char\" arraysize=\"*\"/><FIELD name=\"access_url\" datatype=\"char\" arraysize=\"*\"/>"
                + "<FIELD name=\"semantics\" datatype=\"char\" arraysize=\"*\"/><DATA><TABLEDATA>"
                + "<TR><TD>ivo://orrery.test/obs?1</TD><TD>" + suite.files.url("/files/" + f.data()) + "</TD><TD>#this</TD></TR>"
                + "</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>";
        Files.writeString(suite.files.root().resolve("links.xml"), links);

        Map<String, Object> request = new java.util.LinkedHashMap<>(b.request(f, "/files/" + f.data(), f.dataMd5()));
        request.put("resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 1, "max", 1))),
                "data", List.of(Map.of("name", f.data(), "location", Map.of("url", "datalink+" + suite.files.url("/files/links.xml")),
                        "checks", Map.of("size", f.dataSize(), "md5", f.dataMd5())))));

        String id = b.book(token, request);

        b.awaitPhase(token, id, "COMPLETED");
        Path staged = suite.storage.resolve("home/dara/broker/" + id + "/" + f.data());
        assertThat(staged).hasBinaryContent(f.bytes());
    }

    @Test
    void aWrongChecksumFailsTheExecutionWithTheReason() throws Exception {
        String token = suite.tokens.token("bea");
        Bookings.Served f = b.serve("wrong");

        String id = b.book(token, b.request(f, "/files/" + f.data(), "0123456789abcdef0123456789abcdef"));

        JsonNode failed = await().atMost(Bookings.PATIENCE).until(() -> b.execution(token, id), e -> e.path("phase").asText().equals("FAILED"));
        assertThat(failed.path("reason").asText()).contains("staging " + f.data() + " failed").contains("MD5 mismatch");
        assertThat(suite.storage.resolve("home/bea/broker/" + id + "/" + f.data())).doesNotExist();
    }

    @Test
    void aCancelMidPreparationStopsTheTransfer() throws Exception {
        String user = "cyd";
        String token = suite.tokens.token(user);
        Bookings.Served f = b.serve("cancel");
        suite.files.holdAfter(100_000);

        String id = b.book(token, b.request(f, "/hold/" + f.data(), f.dataMd5()));
        String stageTask = await().atMost(Bookings.PATIENCE).until(() -> b.runningStage(token, id), t -> t != null);

        suite.call("POST", b.broker() + "/api/v1/executions/" + id + "/cancel", token, null);

        b.awaitPhase(token, id, "CANCELLED");
        await().atMost(Bookings.PATIENCE).until(() -> suite.call("GET", suite.service("staging-service").url() + "/api/v1/transfers/"
                + stageTask, token, null).path("state").asText(), "CANCELLED"::equals);
        // The source is still holding the rest back: the cancel does not wait for it.
        Path folder = suite.storage.resolve("home/" + user + "/broker/" + id);
        await().atMost(Bookings.PATIENCE).untilAsserted(() -> {
            try (var files = Files.list(folder)) {
                assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(f.data())
                        .noneMatch(name -> name.endsWith(".part"));
            }
        });
        suite.files.release(f.data());
    }

    @Test
    void aBrokerKilledWhilePreparingResumesAndNoStepRunsTwice() throws Exception {
        String user = "dee";
        String token = suite.tokens.token(user);
        Bookings.Served f = b.serve("crash");
        suite.files.holdAfter(100_000);
        String id = b.book(token, b.request(f, "/hold/" + f.data(), f.dataMd5()));
        await().atMost(Bookings.PATIENCE).until(() -> b.runningStage(token, id), t -> t != null);
        // An IVOA client's offer set (a container of the test image), one offer rejected: the peer loses both at a restart.
        JsonNode ivoa = PodmanTestResource.ready() ? ivoaOfferSet(token) : null;
        String rejected = ivoa == null ? null : ivoa.path("offers").get(0).path("uuid").asText();
        if (rejected != null) {
            suite.call("POST", b.broker() + "/ivoa/sessions/" + rejected, token,
                    Map.of("kind", "uri:enum-value-update", "path", "/phase", "value", "REJECTED"));
        }

        ServiceProcess broker = suite.service("execution-broker");
        broker.kill();
        suite.files.release(f.data());
        broker.start();
        broker.awaitReady();

        if (rejected != null) {
            assertThat(suite.call("GET", b.broker() + "/ivoa/sessions/" + rejected, token, null).path("phase").asText())
                    .isEqualTo("REJECTED");
            assertThat(suite.call("GET", b.broker() + "/ivoa/offersets/" + ivoa.path("uuid").asText(), token, null)
                    .path("offers").findValuesAsText("uuid")).contains(rejected);
        }
        b.awaitPhase(token, id, "COMPLETED");
        assertThat(suite.files.requests("/hold/" + f.data())).as("the data was fetched once").isEqualTo(1);
        assertThat(suite.files.requests("/files/" + f.program())).as("the program was fetched once").isEqualTo(1);
        JsonNode sessions = suite.call("GET", suite.service("canfar-adapter").url() + "/api/v1/sessions", token, null);
        assertThat(sessions.findValuesAsText("executionId")).as("one session").containsOnlyOnce(id);
    }

    private JsonNode ivoaOfferSet(String token) {
        JsonNode ivoa = suite.call("POST", b.broker() + "/ivoa/offersets", token, Map.of(
                "executable", Map.of("kind", "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/executable/"
                        + "docker-container.yaml", "image", Map.of("locations", List.of(PodmanTestResource.IMAGE))),
                "schedule", Map.of("requested", Map.of("duration", "PT1H"))));
        assertThat(ivoa.path("result").asText()).as(ivoa.toString()).isEqualTo("YES");
        return ivoa;
    }

    @Test
    void aSecondBrokerReplicaCarriesOnWhenTheFirstDies() throws Exception {
        String user = "eve";
        String token = suite.tokens.token(user);
        Bookings.Served f = b.serve("replica");
        suite.files.holdAfter(100_000);
        ServiceProcess second = suite.replica("execution-broker", "execution-broker-2");
        String id = b.book(token, b.request(f, "/hold/" + f.data(), f.dataMd5()));
        await().atMost(Bookings.PATIENCE).until(() -> b.runningStage(token, id), t -> t != null);

        ServiceProcess first = suite.service("execution-broker");
        first.kill();
        suite.files.release(f.data());

        // The surviving replica applies the reports, takes the due launch and finishes the execution.
        JsonNode done = await("execution " + id + " COMPLETED via the second replica").atMost(Bookings.PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> suite.call("GET", second.url() + "/api/v1/executions/" + id, token, null),
                        e -> e.path("phase").asText().equals("COMPLETED"));
        assertThat(done.path("tasks").findValuesAsText("state")).containsOnly("COMPLETED");
        assertThat(suite.files.requests("/hold/" + f.data())).isEqualTo(1);
        first.start();
        first.awaitReady();
    }
}
