package orrery.deps.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import orrery.deps.domain.Artefact;
import orrery.deps.domain.ArtefactGraph;
import orrery.deps.domain.ArtefactState;
import orrery.deps.store.GraphRestore;
import orrery.model.build.ArtefactEvent;
import orrery.model.build.HowToReply;
import orrery.model.build.HowToRequest;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.fs.FsEvent;
import orrery.model.messaging.Headers;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.support.messaging.JetStreamPublisher;
import orrery.support.messaging.NatsRequestReply;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * The whole loop on real NATS and PostgreSQL with the shell builder running real commands:
 * file events in, plans, build tasks out, reports back, fixed points, failures with reasons.
 * File events are published here as the fs-watcher would publish them.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ShellProject.class)
@WithTestResource(JwtTestResource.class)
class BuildFlowTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    JetStreamPublisher publisher;
    @Inject
    EnvelopeFactory envelopes;
    @Inject
    Connection connection;
    @Inject
    NatsRequestReply requests;
    @Inject
    orrery.model.envelope.EnvelopeCodec codec;
    @Inject
    orrery.deps.store.GraphStore store;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void twoFilesThatDigestEachOtherReachTheirFixedPoint() throws Exception {
        write("a.src", "alpha\n");
        write("b.src", "beta\n");

        JsonPath a = awaitState("proj/a.txt", "UP_TO_DATE");
        awaitState("proj/b.txt", "UP_TO_DATE");

        List<String> aLines = Files.readAllLines(ShellProject.root().resolve("a.txt"));
        List<String> bLines = Files.readAllLines(ShellProject.root().resolve("b.txt"));
        assertThat(aLines.get(0)).isEqualTo("peer-body-digest: " + digest16(String.join("\n", bLines.subList(1, bLines.size())) + "\n"));
        assertThat(bLines.get(0)).isEqualTo("peer-body-digest: " + digest16(String.join("\n", aLines.subList(1, aLines.size())) + "\n"));
        assertThat(a.getBoolean("cyclic")).isTrue();
        assertThat(a.getList("inputs.artefact", String.class)).containsExactly("proj/a.src", "proj/b.txt");
        assertThat(a.getString("sha256")).isEqualTo(sha256(ShellProject.root().resolve("a.txt")));

        String buildId = a.getString("lastBuild.buildId");
        Envelope announced = codec.decode(connection.jetStreamManagement()
                .getLastMessage("EVENTS", Subjects.artefactEvents(a.getString("id"))).getData());
        assertThat(announced.type()).isEqualTo(MessageTypes.ARTEFACT_EVENT);
        assertThat(codec.data(announced, ArtefactEvent.class).path()).isEqualTo("a.txt");

        // What is stored reloads into the same graph: the cycle, the inputs, the hash and the state.
        ArtefactGraph reloaded = new ArtefactGraph();
        GraphRestore.apply(reloaded, store.loadAll().await().atMost(Duration.ofSeconds(10)));
        Artefact aTxt = reloaded.find(ShellProject.ROOT, "a.txt").orElseThrow();
        assertThat(aTxt.inputs()).extracting(Artefact::path).containsExactly("a.src", "b.txt");
        assertThat(aTxt.sha256()).isEqualTo(a.getString("sha256"));
        assertThat(aTxt.state()).isEqualTo(ArtefactState.UP_TO_DATE);
        assertThat(reloaded.planner().components().isCyclic(reloaded.planner().components().componentOf(aTxt.index())))
                .isTrue();

        JsonPath build = awaitBuild(buildId);
        // Other tests' artefacts may share the build; this cycle's own steps must have succeeded.
        assertThat(build.getString("steps.find { it.artefact == 'proj/a.txt' }.status")).isEqualTo("BUILT");
        assertThat(build.getInt("steps.find { it.artefact == 'proj/a.txt' }.rounds")).isEqualTo(3);
        String events = alice().accept("text/event-stream").get("/api/v1/builds/" + buildId + "/events").asString();
        assertThat(events).contains("\"kind\":\"CONVERGED\"").contains("fixed point in 3 rounds")
                .contains("\"kind\":\"FINISHED\"");
    }

    @Test
    void twoFilesThatNeverAgreeFailAfterFiveRoundsWithAReport() throws Exception {
        write("c.src", "gamma\n");
        write("d.src", "delta\n");

        // c.src alone cannot start the cycle (d.src is missing); the build after d.src arrives goes round and round.
        JsonPath c = awaitState("proj/c.txt", "FAILED",
                json -> json.getString("lastBuild.failure").contains("did not converge"));

        JsonPath build = awaitBuild(c.getString("lastBuild.buildId"));
        assertThat(build.getString("state")).isEqualTo("FAILED");
        assertThat(build.getList("failures", String.class)).anySatisfy(failure -> assertThat(failure)
                .contains("did not converge after 5 rounds").contains("proj/c.txt and proj/d.txt kept changing"));
        assertThat(c.getString("lastBuild.failure")).contains("did not converge after 5 rounds");
    }

    @Test
    void anUnchangedOutputCutsOffTheRebuildOfWhatFollows() throws Exception {
        write("notes.src", "one two three\n");
        awaitState("proj/notes.count", "UP_TO_DATE");
        assertThat(Files.readString(ShellProject.root().resolve("notes.count")).strip()).isEqualTo("3");
        String countBuild = alice().get("/api/v1/artefacts/proj/notes.count").jsonPath().getString("lastBuild.taskId");

        // Punctuation only: notes.words comes out the same, so notes.count is not rebuilt. (The last
        // build is read before the edit: read after it, it may already be the rebuild, and the wait
        // below would wait for a third build that never comes.)
        String wordsTask = alice().get("/api/v1/artefacts/proj/notes.words").jsonPath().getString("lastBuild.taskId");
        write("notes.src", "one, two; three!\n");
        String buildId = await().atMost(PATIENCE).until(() -> alice().get("/api/v1/artefacts/proj/notes.words")
                .jsonPath().getString("lastBuild.buildId"), id -> !wordsTask.startsWith(id));
        JsonPath build = awaitBuild(buildId);

        assertThat(build.getString("steps.find { it.artefact == 'proj/notes.words' }.status")).isEqualTo("BUILT");
        assertThat(build.getBoolean("steps.find { it.artefact == 'proj/notes.words' }.changed")).isFalse();
        assertThat(build.getString("steps.find { it.artefact == 'proj/notes.count' }.status")).isEqualTo("UNCHANGED");
        assertThat(alice().get("/api/v1/artefacts/proj/notes.count").jsonPath().getString("lastBuild.taskId"))
                .isEqualTo(countBuild);
    }

    @Test
    void aChangeWhileItsTaskIsOutRebuildsOnceMoreWithoutSendingThatTaskTwice() throws Exception {
        Path gate = ShellProject.root().resolve("gate");
        Files.deleteIfExists(gate);
        write("m.gated", "first\n");
        String buildId = await("m.slow is being built").atMost(PATIENCE).until(() -> {
            List<String> running = alice().get("/api/v1/builds").jsonPath()
                    .getList("findAll { it.state == 'RUNNING' }.id", String.class);
            return running.stream().filter(id -> "RUNNING".equals(alice().get("/api/v1/builds/" + id).jsonPath()
                    .getString("steps.find { it.artefact == 'proj/m.slow' }.status"))).findFirst().orElse(null);
        }, id -> id != null);

        write("m.gated", "second\n");
        String second = sha256(ShellProject.root().resolve("m.gated"));
        await("the change is applied").atMost(PATIENCE)
                .until(() -> alice().get("/api/v1/artefacts/proj/m.gated").jsonPath().getString("sha256"), second::equals);
        Files.writeString(gate, "open");

        awaitBuild(buildId);
        assertThat(Files.readString(ShellProject.root().resolve("m.slow"))).isEqualTo("second\n");
        JsonPath slow = awaitState("proj/m.slow", "UP_TO_DATE");
        assertThat(slow.getString("sha256")).isEqualTo(second);
        String events = alice().accept("text/event-stream").get("/api/v1/builds/" + buildId + "/events").asString();
        assertThat(events).contains("\"kind\":\"REPLANNED\"");
        assertThat(events.split("\"kind\":\"STARTED\",\"artefactId\":\"" + slow.getString("id"), -1))
                .as("m.slow is started twice: once before the change, once after; never a duplicate").hasSize(3);
    }

    @Test
    void aRequestedBuildAnswersWithItsPlanAndAFailingCommandReportsItsLog() throws Exception {
        write("x.src", "x\n");
        awaitState("proj/x.words", "UP_TO_DATE");

        JsonPath accepted = alice().contentType("application/json").body("{\"target\":\"proj/x.broken\"}")
                .post("/api/v1/builds").then().statusCode(202).header("Location", containsString("/api/v1/builds/"))
                .extract().jsonPath();
        assertThat(accepted.getList("steps.artefact", String.class)).contains("proj/x.broken");

        JsonPath build = awaitBuild(accepted.getString("id"));
        assertThat(build.getString("state")).isEqualTo("FAILED");
        JsonPath broken = alice().get("/api/v1/artefacts/proj/x.broken").then().statusCode(200).extract().jsonPath();
        assertThat(broken.getString("state")).isEqualTo("FAILED");
        assertThat(broken.getString("lastBuild.failure")).isEqualTo("bash exited with status 3");
        assertThat(broken.getString("lastBuild.log")).contains("no such tool");
    }

    @Test
    void theShellBuilderAnswersHowToOnlyForWhatItCanBuild() {
        HowToReply reply = requests.request(Subjects.RULES_HOWTO, MessageTypes.RULES_HOWTO,
                new HowToRequest(ShellProject.ROOT, "docs/paper.count"), null, Duration.ofSeconds(5), HowToReply.class)
                .await().atMost(Duration.ofSeconds(10));

        assertThat(reply.builder()).isEqualTo("shell");
        assertThat(reply.subject()).isEqualTo("tasks.build.shell");
        assertThat(reply.inputs()).containsExactly("docs/paper.words");
        assertThat(reply.recipe()).isEqualTo("bash count.sh $< $@");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.request(Subjects.RULES_HOWTO,
                MessageTypes.RULES_HOWTO, new HowToRequest(ShellProject.ROOT, "paper.pdf"), null,
                Duration.ofMillis(500), HowToReply.class).await().atMost(Duration.ofSeconds(5))).isNotNull();
    }

    @Test
    void theGraphComesAsJsonDotAndMermaid() throws Exception {
        write("a.src", "alpha\n");
        awaitState("proj/a.txt", "UP_TO_DATE");

        alice().get("/api/v1/graph").then().statusCode(200)
                .body("nodes.find { it.artefact == 'proj/a.txt' }.cyclic", equalTo(true))
                .body("links.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(4));
        alice().get("/api/v1/graph?format=dot").then().statusCode(200)
                .body(containsString("digraph artefacts")).body(containsString("subgraph cluster_"))
                .body(containsString("\"proj/a.src\" -> \"proj/a.txt\""));
        alice().get("/api/v1/graph?format=mermaid").then().statusCode(200)
                .body(containsString("flowchart LR")).body(containsString("[cycle]"));
    }

    @Test
    void badRequestsGetProblemsNotErrors() {
        alice().contentType("application/json").body("{\"target\":\"proj/a.txt\",\"force\":true}").post("/api/v1/builds")
                .then().statusCode(400).contentType("application/problem+json").body("type", containsString("unknown-field"));
        alice().contentType("application/json").body("{}").post("/api/v1/builds")
                .then().statusCode(400).body("field", equalTo("target"));
        alice().contentType("application/json").body("{\"target\":\"no-slash\"}").post("/api/v1/builds")
                .then().statusCode(400).body("type", containsString("invalid-target"));
        alice().contentType("application/json").body("{\"target\":\"proj/../etc/passwd\"}").post("/api/v1/builds")
                .then().statusCode(400).body("detail", containsString("'..'"));
        alice().contentType("application/json").body("{\"target\":\"proj/nobody-builds.this\"}").post("/api/v1/builds")
                .then().statusCode(404).body("type", containsString("unknown-target"));
        alice().contentType("application/json").body("{\"target\":\"proj/mix.sh\"}").post("/api/v1/builds")
                .then().statusCode(404);
        alice().get("/api/v1/artefacts/proj/nothing-here").then().statusCode(404).body("type", containsString("not-found"));
        alice().get("/api/v1/builds/b-none").then().statusCode(404).contentType("application/problem+json");
        alice().get("/api/v1/builds/b-none/events").then().statusCode(404);
        alice().get("/api/v1/graph?format=png").then().statusCode(400).body("field", equalTo("format"));
    }

    @Test
    void aSourceFileCannotBeBuilt() throws Exception {
        write("s.src", "s\n");
        awaitState("proj/s.words", "UP_TO_DATE");

        alice().contentType("application/json").body("{\"target\":\"proj/s.src\"}").post("/api/v1/builds")
                .then().statusCode(422).body("type", containsString("not-buildable"));
    }

    @Test
    void poisonFileEventsGoToTheDeadLetterStream() throws Exception {
        connection.jetStream().publish("events.fs.junk", "not an envelope".getBytes(StandardCharsets.UTF_8));
        publishFs(FsEvent.modified(ShellProject.ROOT, "../../etc/passwd", 1L, java.time.Instant.EPOCH, "a".repeat(64),
                null), "events.fs.escape");

        assertThat(awaitDeadLetter("dlq.events.fs.junk", "not an envelope").getHeaders().getFirst(Headers.DLQ_REASON))
                .contains("unreadable message");
        assertThat(awaitDeadLetter("dlq.events.fs.escape", "../../etc/passwd").getHeaders().getFirst(Headers.DLQ_REASON))
                .contains("'..'");
    }

    @Test
    void poisonTaskReportsAndAnnouncementsGoToTheDeadLetterStream() throws Exception {
        connection.jetStream().publish("events.task.garbage", "{\"no\":1}".getBytes(StandardCharsets.UTF_8));
        connection.publish(Subjects.RULES_ANNOUNCE, "{\"builder\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(awaitDeadLetter("dlq.events.task.garbage", "{\"no\":1}").getHeaders().getFirst(Headers.DLQ_REASON))
                .contains("unreadable message");
        assertThat(awaitDeadLetter("dlq.rules.announce", "{\"builder\":\"x\"}").getHeaders().getFirst(Headers.DLQ_REASON))
                .contains("unreadable message");
    }

    @Test
    void theOrreryCommandBuildsFollowsAndReportsWithExitCodesScriptsCanUse() throws Exception {
        write("cli.src", "to be or not to be\n");
        awaitState("proj/cli.count", "UP_TO_DATE");
        String url = "http://localhost:" + port;
        String token = JwtTestResource.token("alice");

        // Without a token, or with one the service does not accept, it says what to do and exits with 7.
        Cli anonymous = cli("--url", url, "status", "proj/cli.count");
        assertThat(anonymous.code).as(anonymous.out).isEqualTo(7);
        assertThat(anonymous.out).contains("no token was given").contains("ORRERY_TOKEN");
        Cli forged = cli("--url", url, "--token", JwtTestResource.forged("alice"), "build", "proj/cli.count");
        assertThat(forged.code).as(forged.out).isEqualTo(7);
        assertThat(forged.out).contains("did not accept the token from --token");

        Cli build = cli("--url", url, "--token", token, "build", "proj/cli.count");
        assertThat(build.code).as(build.out).isEqualTo(0);
        assertThat(build.out).contains("in the plan").contains("skipped    proj/cli.count").contains("SUCCEEDED");

        Cli status = cli("--url", url, "--token", token, "status", "proj/cli.count");
        assertThat(status.code).isEqualTo(0);
        assertThat(status.out).contains("proj/cli.count  UP_TO_DATE").contains("input    UP_TO_DATE proj/cli.words");

        write("cli.src", "to be or not to be that is the question\n");
        // Until the rebuild has written the new count: before that, the status names the old file's digest too.
        Path count = ShellProject.root().resolve("cli.count");
        Cli rebuilt = await().atMost(PATIENCE).until(() -> cli("--url", url, "--token", token, "status", "proj/cli.count"),
                run -> run.code == 0 && holds(count, "10") && run.out.contains(sha256(count)));
        assertThat(rebuilt.out).contains("sha256   " + sha256(ShellProject.root().resolve("cli.count")));

        Cli failing = cli("--url", url, "--token", token, "build", "proj/cli.broken");
        assertThat(failing.code).isEqualTo(1);
        assertThat(failing.out).contains("failed     proj/cli.broken").contains("bash exited with status 3");
        assertThat(cli("--url", url, "--token", token, "status", "proj/cli.broken").code).isEqualTo(1);

        assertThat(cli("--url", url, "--token", token, "build", "proj/nothing.here").code).isEqualTo(4);
        assertThat(cli("--url", url, "--token", token, "build", "proj/cli.src").code).isEqualTo(6);
        Cli fromTheEnvironment = cliWith(java.util.Map.of("ORRERY_TOKEN", token), "--url", url, "status", "proj/cli.count");
        assertThat(fromTheEnvironment.code).as(fromTheEnvironment.out).isEqualTo(0);
        Cli graph = cli("--url", url, "--token", token, "graph", "--dot");
        assertThat(graph.code).isEqualTo(0);
        assertThat(graph.out).contains("\"proj/cli.words\" -> \"proj/cli.count\"");
    }

    private static boolean holds(Path file, String content) {
        try {
            return Files.readString(file).strip().equals(content);
        } catch (java.io.IOException e) {
            return false; // being rewritten
        }
    }

    // --- who may call, and what a command may see ------------------------------------------------

    @Test
    void everyEndpointRefusesACallerWithoutAValidToken() throws Exception {
        write("guard.src", "guarded\n");
        String words = awaitState("proj/guard.words", "UP_TO_DATE").getString("lastBuild.buildId");
        java.util.Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("not a JWT", "not-a-token");
        tokens.put("forged (signed by another key)", JwtTestResource.forged("root"));
        tokens.put("another audience", JwtTestResource.tokenFor(JwtTestResource.ISSUER, "some-other-service", "root", "admin"));
        tokens.put("another issuer", JwtTestResource.tokenFor("https://issuer.example.org", JwtTestResource.AUDIENCE, "root", "admin"));
        List<String[]> endpoints = List.of(new String[] {"GET", "/api/v1/graph"},
                new String[] {"GET", "/api/v1/graph?format=dot"}, new String[] {"GET", "/api/v1/artefacts/proj/guard.words"},
                new String[] {"POST", "/api/v1/builds"}, new String[] {"GET", "/api/v1/builds"},
                new String[] {"GET", "/api/v1/builds/" + words}, new String[] {"GET", "/api/v1/builds/" + words + "/events"});
        for (java.util.Map.Entry<String, String> token : tokens.entrySet()) {
            for (String[] endpoint : endpoints) {
                io.restassured.specification.RequestSpecification request = token.getValue() == null ? given()
                        : given().auth().oauth2(token.getValue());
                if (endpoint[0].equals("POST")) {
                    request = request.contentType("application/json").body("{\"target\":\"proj/guard.count\"}");
                }
                if (endpoint[1].endsWith("/events")) {
                    request = request.accept("text/event-stream");
                }
                io.restassured.response.Response response = request.request(endpoint[0], endpoint[1]);
                assertThat(response.statusCode()).as(token.getKey() + ": " + endpoint[0] + " " + endpoint[1]).isEqualTo(401);
                response.then().contentType("application/problem+json")
                        .body("type", equalTo("urn:orrery:problem:unauthenticated"));
            }
        }
        given().auth().oauth2(JwtTestResource.token("alice smith")).contentType("application/json")
                .body("{\"target\":\"proj/guard.count\"}").post("/api/v1/builds").then()
                .statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:invalid-user-name"));
        // None of the refused requests started a build.
        assertThat(Api.asAdmin().get("/api/v1/builds").jsonPath().getList("target", String.class))
                .doesNotContain("proj/guard.count");
    }

    @Test
    void aBuildIsItsRequestersAndTheServicesOwnBuildsAreEveryones() throws Exception {
        write("own.src", "mine and yours\n");
        String systemBuild = awaitState("proj/own.words", "UP_TO_DATE").getString("lastBuild.buildId");

        // Started by a file change: no owner, readable by any user, the graph too.
        for (String user : List.of("alice", "bob")) {
            Api.as(user).get("/api/v1/builds/" + systemBuild).then().statusCode(200)
                    .body("trigger", equalTo("change")).body("owner", org.hamcrest.Matchers.nullValue());
            assertThat(Api.as(user).accept("text/event-stream").get("/api/v1/builds/" + systemBuild + "/events").asString())
                    .contains("\"kind\":\"FINISHED\"");
            assertThat(Api.as(user).get("/api/v1/builds").jsonPath().getList("id", String.class)).contains(systemBuild);
            Api.as(user).get("/api/v1/artefacts/proj/own.words").then().statusCode(200);
            Api.as(user).get("/api/v1/graph").then().statusCode(200)
                    .body("nodes.artefact", org.hamcrest.Matchers.hasItem("proj/own.words"));
        }

        // Requested by alice: hers. To bob it does not exist.
        String id = Api.as("alice").contentType("application/json").body("{\"target\":\"proj/own.count\"}")
                .post("/api/v1/builds").then().statusCode(202).body("owner", equalTo("alice"))
                .extract().jsonPath().getString("id");
        Api.as("alice").get("/api/v1/builds/" + id).then().statusCode(200).body("owner", equalTo("alice"))
                .body("trigger", equalTo("request"));
        Api.as("bob").get("/api/v1/builds/" + id).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:not-found"))
                .body("detail", org.hamcrest.Matchers.not(containsString("alice")));
        Api.as("bob").accept("text/event-stream").get("/api/v1/builds/" + id + "/events").then().statusCode(404)
                .contentType("application/problem+json");
        assertThat(Api.as("bob").get("/api/v1/builds").jsonPath().getList("id", String.class))
                .doesNotContain(id).contains(systemBuild);
        assertThat(Api.as("alice").get("/api/v1/builds").jsonPath().getList("id", String.class)).contains(id, systemBuild);
        assertThat(Api.as("alice").accept("text/event-stream").get("/api/v1/builds/" + id + "/events").asString())
                .contains("\"kind\":\"FINISHED\"");
        // An administrator sees every build.
        Api.asAdmin().get("/api/v1/builds/" + id).then().statusCode(200).body("owner", equalTo("alice"));
        assertThat(Api.asAdmin().get("/api/v1/builds").jsonPath().getList("id", String.class)).contains(id, systemBuild);

        // Once it has ended it is stored with its owner, and stays hidden from bob.
        awaitBuild(id);
        await("the build's row").atMost(PATIENCE).until(() -> store.findBuild(id).await().atMost(Duration.ofSeconds(10))
                .filter(row -> !List.of("QUEUED", "RUNNING").contains(row.state())).isPresent());
        assertThat(store.findBuild(id).await().atMost(Duration.ofSeconds(10)).orElseThrow().owner()).isEqualTo("alice");
        assertThat(store.findBuild(systemBuild).await().atMost(Duration.ofSeconds(10)).orElseThrow().owner()).isNull();
        Api.as("bob").get("/api/v1/builds/" + id).then().statusCode(404);
    }

    @Test
    void aCommandSeesTheEnvironmentOfItsRuleAndNothingOfTheServices() throws Exception {
        String secret = System.getenv("ORRERY_TEST_SECRET");
        assertThat(secret).as("ORRERY_TEST_SECRET in the service's environment (set by dependency-manager/pom.xml)")
                .isNotBlank();
        String configSecret = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("orrery.test.secret", String.class);

        write("seen.envsrc", "what does a command see?\n");
        JsonPath env = awaitState("proj/seen.env", "UP_TO_DATE");

        String dump = Files.readString(ShellProject.root().resolve("seen.env"));
        java.util.Map<String, String> seen = new java.util.TreeMap<>();
        for (String line : dump.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                seen.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(seen).containsEntry("PATH", "/usr/local/bin:/usr/bin:/bin")
                .containsEntry("HOME", ShellProject.home().toString())
                .containsEntry("LANG", "C") // the rule's !env, over the builder's C.UTF-8
                .containsEntry("ORRERY_RULE_SETTING", "from-the-rules-file")
                .containsEntry("ORRERY_TARGET", "seen.env")
                .containsEntry("ORRERY_BUILD_ID", env.getString("lastBuild.buildId"))
                .containsKey("ORRERY_ROUND");
        // bash adds PWD, SHLVL and _ of its own; nothing else may be there.
        assertThat(seen.keySet()).isSubsetOf("PATH", "HOME", "LANG", "ORRERY_RULE_SETTING", "ORRERY_TARGET",
                "ORRERY_ROUND", "ORRERY_BUILD_ID", "PWD", "SHLVL", "_", "OLDPWD");
        assertThat(dump).doesNotContain(secret).doesNotContain(configSecret).doesNotContain("ORRERY_TEST_SECRET");
    }

    record Cli(int code, String out) {
    }

    /** Runs the command line with an environment of its own (no ORRERY_TOKEN from the machine running the tests). */
    private static Cli cli(String... args) {
        return cliWith(java.util.Map.of(), args);
    }

    private static Cli cliWith(java.util.Map<String, String> environment, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = orrery.cli.Orrery.run(environment, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true), args);
        return new Cli(code, out + err.toString());
    }

    // --- helpers -----------------------------------------------------------------------------

    /** A request as alice, an ordinary user. */
    private static io.restassured.specification.RequestSpecification alice() {
        return Api.as("alice");
    }

    /** Writes a file in the project and publishes its change as the fs-watcher would. */
    private void write(String path, String content) throws Exception {
        Path file = ShellProject.root().resolve(path);
        String before = Files.exists(file) ? sha256(file) : null;
        Files.writeString(file, content);
        java.time.Instant mtime = Files.getLastModifiedTime(file).toInstant();
        publishFs(before == null ? FsEvent.created(ShellProject.ROOT, path, Files.size(file), mtime, sha256(file))
                : FsEvent.modified(ShellProject.ROOT, path, Files.size(file), mtime, sha256(file), before),
                Subjects.fsEvents(ShellProject.ROOT));
    }

    private void publishFs(FsEvent event, String subject) {
        Envelope envelope = envelopes.event(MessageTypes.FS_EVENT, subject, null, event);
        publisher.publish(subject, envelope).await().atMost(Duration.ofSeconds(10));
    }

    private static JsonPath awaitState(String artefact, String state, java.util.function.Predicate<JsonPath> check) {
        return Awaits.settled(artefact, state, check, PATIENCE, () -> { });
    }

    private static JsonPath awaitState(String artefact, String state) {
        return awaitState(artefact, state, json -> true);
    }

    private static JsonPath awaitBuild(String id) {
        return Awaits.buildOver(id, PATIENCE);
    }

    /** The last dead letter on {@code subject} once it is the message whose body contains {@code marker}. */
    private MessageInfo awaitDeadLetter(String subject, String marker) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        return await(subject).atMost(PATIENCE).ignoreException(JetStreamApiException.class)
                .until(() -> jsm.getLastMessage("DLQ", subject),
                        m -> m != null && new String(m.getData(), StandardCharsets.UTF_8).contains(marker));
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest16(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
    }
}
