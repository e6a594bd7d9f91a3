package orrery.broker.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionStatus;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.messaging.Headers;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.staging.TransferResult;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.model.time.ManualTimeSource;
import orrery.support.messaging.JetStreamPublisher;
import orrery.testsupport.JetStreamProbe;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's side of an execution's life, on the manual clock: the test reads the commands the
 * broker puts on TASKS and answers with the reports the staging service and the CANFAR adapter
 * send (their real implementations meet the broker in deploy/e2e).
 */
@QuarkusTest
@TestProfile(LifecycleProfile.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class LifecycleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    ManualTimeSource time;

    @Inject
    Connection connection;

    @Inject
    EnvelopeFactory envelopes;

    @Inject
    EnvelopeCodec codec;

    @Inject
    JetStreamPublisher publisher;

    @Inject
    Pool database;

    @Inject
    OutboxRelay relay;

    private JetStreamProbe probe;

    @BeforeEach
    void probe() {
        probe = new JetStreamProbe(connection);
    }

    private static RequestSpecification as(String user) {
        return given().auth().oauth2(JwtTestResource.token(user)).contentType(ContentType.JSON);
    }

    /** Books a headless command with one data file, starting in two hours, and accepts the first offer. */
    private JsonPath bookAndAccept(String user, String pool) {
        Map<String, Object> request = Map.of(
                "name", "demo",
                "executable", Map.of("kind", "command", "cmd", "sha256sum", "args", List.of("obs.fits"),
                        "image", "images.canfar.net/skaha/base:latest"),
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 2, "max", 2))),
                        "data", List.of(Map.of("name", "obs.fits", "location", Map.of("url", "https://ws-uv.canfar.net/obs.fits")),
                                Map.of("name", "cal.fits", "location", Map.of("url", "https://ws-uv.canfar.net/cal.fits")))),
                "schedule", Map.of("requested", List.of(Map.of("start", time.now().plus(Duration.ofHours(2)) + "/PT0S",
                        "duration", Map.of("min", "PT1H", "max", "PT1H")))),
                "pool", pool);
        String offer = as(user).body(request).post("/api/v1/offersets").then().statusCode(201).extract().jsonPath()
                .getString("offers[0].id");
        return as(user).post("/api/v1/executions/" + offer + "/accept").then().statusCode(200).extract().jsonPath();
    }

    private String phase(String user, String id) {
        return as(user).get("/api/v1/executions/" + id).then().statusCode(200).extract().jsonPath().getString("phase");
    }

    private void awaitPhase(String user, String id, String phase) {
        await().atMost(PATIENCE).until(() -> phase(user, id), phase::equals);
    }

    private void moveTo(Instant instant) {
        if (instant.isAfter(time.now())) {
            time.advanceTo(instant);
        }
    }

    private Envelope command(String subject, String taskId) {
        return await().atMost(PATIENCE).until(() -> probe.all("TASKS", subject).stream()
                .filter(e -> e.id().equals(taskId)).findFirst().orElse(null), e -> e != null);
    }

    /** A report as the service that carries out {@code kind} sends it. */
    private void report(String taskId, String kind, TaskState state, long sequence, Object result, String reason) {
        reportAs(kind.startsWith("staging.") ? "staging-service" : "canfar-adapter", taskId, kind, state, sequence, result, reason);
    }

    private void reportAs(String service, String taskId, String kind, TaskState state, long sequence, Object result, String reason) {
        TaskEvent event = new TaskEvent(taskId, kind, state, sequence, null, result == null ? null : codec.tree(result), reason);
        Envelope envelope = from(service).create(taskId + "-" + sequence + "-" + service, MessageTypes.TASK_EVENT,
                Subjects.taskEvents(taskId), null, event);
        publisher.publish(Subjects.taskEvents(taskId), envelope).await().atMost(PATIENCE);
    }

    private EnvelopeFactory from(String service) {
        return new EnvelopeFactory(service, time, new orrery.model.time.LamportClock(), codec);
    }

    private void prepare(String id, JsonPath accepted) {
        moveTo(Instant.parse(accepted.getString("schedule.preparing.start")));
        awaitPhase("alice", id, "PREPARING");
        command(Subjects.STAGING_DIRECTORY, "eb-" + id + "-folder");
        report("eb-" + id + "-folder", "staging.directory", TaskState.COMPLETED, 1, null, null);
        for (int i = 0; i < 2; i++) {
            command(Subjects.STAGING_TRANSFER, "eb-" + id + "-stage-" + i);
            report("eb-" + id + "-stage-" + i, "staging.transfer", TaskState.RUNNING, 1, null, null);
            report("eb-" + id + "-stage-" + i, "staging.transfer", TaskState.COMPLETED, 2,
                    new TransferResult("home/alice/broker/" + id + "/x", 1L, "m", "s", true), null);
        }
        awaitPhase("alice", id, "WAITING");
    }

    @Test
    void drivesAnExecutionFromAcceptedToCompleted() {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        assertThat(accepted.getString("phase")).isEqualTo("ACCEPTED");

        prepare(id, accepted);

        Instant start = Instant.parse(accepted.getString("schedule.executing.start"));
        moveTo(start); // the launch is due at start - quoted start-up, which is before start
        Envelope launch = command(Subjects.CANFAR_LAUNCH, "eb-" + id + "-launch");
        JsonNode task = launch.data();
        assertThat(task.path("cmd").asText()).isEqualTo("sha256sum");
        assertThat(task.path("workdir").asText()).isEqualTo("home/alice/broker/" + id);
        assertThat(task.path("cores").asInt()).isEqualTo(2);
        report("eb-" + id + "-launch", "canfar.launch", TaskState.COMPLETED, 2, new LaunchResult("s-1", SessionStatus.Running, null), null);
        awaitPhase("alice", id, "RUNNING");

        moveTo(start.plus(Duration.ofHours(1)));
        awaitPhase("alice", id, "FINISHING");
        Envelope delete = command(Subjects.CANFAR_DELETE, "eb-" + id + "-delete");
        assertThat(delete.data().path("sessionId").asText()).isEqualTo("s-1");
        report("eb-" + id + "-delete", "canfar.delete", TaskState.COMPLETED, 2, null, null);
        awaitPhase("alice", id, "COMPLETED");

        List<String> published = probe.all("EVENTS", Subjects.executionEvents(id)).stream()
                .map(e -> e.data().path("phase").asText()).toList();
        assertThat(published).containsExactly("ACCEPTED", "PREPARING", "WAITING", "RUNNING", "FINISHING", "COMPLETED");
        List<String> tasks = as("alice").get("/api/v1/executions/" + id).then().extract().jsonPath().getList("tasks.state");
        assertThat(tasks).containsOnly("COMPLETED");
    }

    @Test
    void aFailedStepFailsTheExecutionCancelsTheRestAndReleasesTheReservation() {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        moveTo(Instant.parse(accepted.getString("schedule.preparing.start")));
        awaitPhase("alice", id, "PREPARING");
        report("eb-" + id + "-folder", "staging.directory", TaskState.COMPLETED, 1, null, null);
        command(Subjects.STAGING_TRANSFER, "eb-" + id + "-stage-1");

        report("eb-" + id + "-stage-0", "staging.transfer", TaskState.FAILED, 1, null,
                "MD5 mismatch: expected abc, received def");

        awaitPhase("alice", id, "FAILED");
        as("alice").get("/api/v1/executions/" + id).then().body("reason", org.hamcrest.Matchers.containsString("MD5 mismatch"));
        Envelope cancel = command(Subjects.STAGING_CANCEL, "eb-" + id + "-stage-1-cancel");
        assertThat(cancel.data().path("taskId").asText()).isEqualTo("eb-" + id + "-stage-1");
    }

    @Test
    void aCancelMidPreparationUndoesWhatIsUnderWay() {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        moveTo(Instant.parse(accepted.getString("schedule.preparing.start")));
        awaitPhase("alice", id, "PREPARING");
        report("eb-" + id + "-folder", "staging.directory", TaskState.COMPLETED, 1, null, null);
        command(Subjects.STAGING_TRANSFER, "eb-" + id + "-stage-0");

        as("alice").post("/api/v1/executions/" + id + "/cancel").then().statusCode(200)
                .body("phase", org.hamcrest.Matchers.equalTo("CANCELLED"));

        command(Subjects.STAGING_CANCEL, "eb-" + id + "-stage-0-cancel");
        command(Subjects.STAGING_CANCEL, "eb-" + id + "-stage-1-cancel");
        as("alice").post("/api/v1/executions/" + id + "/cancel").then().statusCode(409)
                .body("type", org.hamcrest.Matchers.equalTo("urn:orrery:problem:execution-finished"));
    }

    @Test
    void aHeadlessSessionThatEndsByItselfFinishesEarlyAndGivesCapacityBack() {
        as("root").auth().oauth2(JwtTestResource.token("root", "admin"))
                .body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 4102444800L, "capacity", 2))))
                .put("/api/v1/pools/early").then().statusCode(201);
        JsonPath accepted = bookAndAccept("alice", "early");
        String id = accepted.getString("id");
        prepare(id, accepted);
        Instant start = Instant.parse(accepted.getString("schedule.executing.start"));
        moveTo(start);
        report("eb-" + id + "-launch", "canfar.launch", TaskState.COMPLETED, 2, new LaunchResult("s-2", SessionStatus.Pending, null), null);
        sessionEvent(new SessionEvent("s-2", "eb-" + id + "-launch", id, SessionStatus.Running, start, null, null, null));
        awaitPhase("alice", id, "RUNNING");

        moveTo(start.plus(Duration.ofMinutes(10)));
        sessionEvent(new SessionEvent("s-2", "eb-" + id + "-launch", id, SessionStatus.Succeeded, start, null, 0, null));
        awaitPhase("alice", id, "FINISHING");
        report("eb-" + id + "-delete", "canfar.delete", TaskState.COMPLETED, 2, null, null);
        awaitPhase("alice", id, "COMPLETED");

        long from = start.plus(Duration.ofMinutes(20)).getEpochSecond();
        as("alice").queryParam("start_time", from).queryParam("end_time", from + 600)
                .get("/api/v1/pools/early/availability").then().body("free[0].free", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void aReportForATaskNotYetVisibleIsRetriedNotDropped() {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        prepare(id, accepted);
        // The CANFAR adapter's answer arrives before the broker has written the launch step.
        report("eb-" + id + "-launch", "canfar.launch", TaskState.COMPLETED, 2, new LaunchResult("s-3", SessionStatus.Running, null), null);

        moveTo(Instant.parse(accepted.getString("schedule.executing.start")));

        awaitPhase("alice", id, "RUNNING");
    }

    @Test
    void reportsFromAnotherServiceOrOnAnotherTasksSubjectAreDeadLetteredNotApplied() {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        moveTo(Instant.parse(accepted.getString("schedule.preparing.start")));
        awaitPhase("alice", id, "PREPARING");
        String folder = "eb-" + id + "-folder";
        command(Subjects.STAGING_DIRECTORY, folder);
        // A builder (or anything else allowed on events.task.>) claims the staging step failed.
        reportAs("shell-builder", folder, "staging.directory", TaskState.FAILED, 5, null, "forged");
        // A genuine report replayed onto another task's subject.
        TaskEvent moved = new TaskEvent(folder, "staging.directory", TaskState.FAILED, 6, null, null, "moved");
        String other = "eb-" + id + "-stage-0";
        publisher.publish(Subjects.taskEvents(other), from("staging-service").create(folder + "-moved", MessageTypes.TASK_EVENT,
                Subjects.taskEvents(other), null, moved)).await().atMost(PATIENCE);

        await().atMost(PATIENCE).until(() -> probe.all("DLQ", Subjects.deadLetter(Subjects.taskEvents(folder))).size()
                + probe.all("DLQ", Subjects.deadLetter(Subjects.taskEvents(other))).size() >= 2);
        assertThat(phase("alice", id)).isEqualTo("PREPARING");
        report(folder, "staging.directory", TaskState.COMPLETED, 7, null, null);
        command(Subjects.STAGING_TRANSFER, other);
        assertThat(phase("alice", id)).isEqualTo("PREPARING");
    }

    @Test
    void staleReportsChangeNothing() {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        moveTo(Instant.parse(accepted.getString("schedule.preparing.start")));
        awaitPhase("alice", id, "PREPARING");
        report("eb-" + id + "-folder", "staging.directory", TaskState.COMPLETED, 2, null, null);
        command(Subjects.STAGING_TRANSFER, "eb-" + id + "-stage-0");

        report("eb-" + id + "-folder", "staging.directory", TaskState.FAILED, 1, null, "an old report");

        report("eb-" + id + "-stage-0", "staging.transfer", TaskState.RUNNING, 1, null, null);
        await().atMost(PATIENCE).until(() -> as("alice").get("/api/v1/executions/" + id).then().extract().jsonPath()
                .getList("tasks.state").contains("RUNNING"));
        assertThat(phase("alice", id)).isEqualTo("PREPARING");
    }

    @Test
    void preparationNotFinishedByTheStartStartsLate() {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        moveTo(Instant.parse(accepted.getString("schedule.preparing.start")));
        awaitPhase("alice", id, "PREPARING");
        Instant start = Instant.parse(accepted.getString("schedule.executing.start"));

        moveTo(start.plus(Duration.ofMinutes(5)));

        await().atMost(PATIENCE).until(() -> as("alice").get("/api/v1/executions/" + id).then().extract().jsonPath()
                .<Boolean>get("late"), Boolean.TRUE::equals);
        as("alice").get("/api/v1/executions/" + id).then().body("latePolicy", org.hamcrest.Matchers.equalTo("START_LATE"));
        report("eb-" + id + "-folder", "staging.directory", TaskState.COMPLETED, 1, null, null);
        for (int i = 0; i < 2; i++) {
            report("eb-" + id + "-stage-" + i, "staging.transfer", TaskState.COMPLETED, 1,
                    new TransferResult("x", 1L, "m", "s", true), null);
        }
        command(Subjects.CANFAR_LAUNCH, "eb-" + id + "-launch");
    }

    @Test
    void streamsPhaseChangesAsServerSentEvents() {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        as("alice").post("/api/v1/executions/" + id + "/cancel").then().statusCode(200);

        String stream = as("alice").accept("text/event-stream").get("/api/v1/executions/" + id + "/events")
                .then().statusCode(200).extract().asString();

        assertThat(stream).contains("\"phase\":\"ACCEPTED\"").contains("\"phase\":\"CANCELLED\"");
        assertThat(stream.indexOf("ACCEPTED")).isLessThan(stream.indexOf("CANCELLED"));
        as("mallory").accept("text/event-stream").get("/api/v1/executions/" + id + "/events").then().statusCode(404);
        as("alice").accept("text/event-stream").get("/api/v1/executions/" + UUID.randomUUID() + "/events").then().statusCode(404);
    }

    @Test
    void theOwnersStreamCarriesTheirChangesAndNobodyElses() {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + "/api/v1/executions/events"))
                .header("Authorization", "Bearer " + JwtTestResource.token("alice")).header("Accept", "text/event-stream").build();
        var response = java.net.http.HttpClient.newHttpClient().sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofLines())
                .thenApply(streaming -> {
                    Thread reader = new Thread(() -> streaming.body().forEach(lines::add), "owner-stream-reader");
                    reader.setDaemon(true);
                    reader.start();
                    return streaming;
                });
        try {
            // the stream has no history: book until one of alice's changes comes through, then it is live
            await().atMost(PATIENCE).until(() -> {
                bookAndAccept("alice", "default");
                return lines.stream().anyMatch(line -> line.contains("\"phase\":\"ACCEPTED\""));
            });
            String others = bookAndAccept("mallory", "default").getString("id");
            String mine = bookAndAccept("alice", "default").getString("id");

            await().atMost(PATIENCE).until(() -> lines.stream().anyMatch(line -> line.contains(mine) && line.contains("ACCEPTED")));
            assertThat(lines).noneMatch(line -> line.contains(others));
        } finally {
            response.thenAccept(streaming -> streaming.body().close());
        }
    }

    @Test
    void aChangeMadeAfterAnotherReplicasKeepsTheHistoryInLamportOrder() {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        // As if a replica whose clock runs far ahead of ours had written the execution so far.
        long ahead = 1_000_000_000L;
        database.preparedQuery("UPDATE execution SET lamport = $1 WHERE id = $2").execute(Tuple.of(ahead, UUID.fromString(id)))
                .chain(() -> database.preparedQuery("UPDATE execution_history SET lamport = $1 WHERE execution_id = $2")
                        .execute(Tuple.of(ahead, UUID.fromString(id))))
                .await().atMost(PATIENCE);

        as("alice").post("/api/v1/executions/" + id + "/cancel").then().statusCode(200);

        String stream = as("alice").accept("text/event-stream").get("/api/v1/executions/" + id + "/events")
                .then().statusCode(200).extract().asString();
        assertThat(stream).contains("\"phase\":\"ACCEPTED\"").contains("\"phase\":\"CANCELLED\"");
    }

    @Test
    void anOutboxRowTheServerNeverTakesIsMovedAsideAndFailsItsExecutionWithoutBlockingTheRest() throws Exception {
        JsonPath accepted = bookAndAccept("alice", "default");
        String id = accepted.getString("id");
        String other = bookAndAccept("alice", "default").getString("id");
        // A command larger than the server's payload limit (1 MB), then an ordinary message behind it.
        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'x');
        String hugeId = "huge-" + UUID.randomUUID();
        String behindId = "behind-" + UUID.randomUUID();
        byte[] behind = codec.encode(envelopes.create(behindId, MessageTypes.EXECUTION_EVENT, "events.execution.behind", other,
                Map.of("note", "behind the huge one")));
        String insert = "INSERT INTO outbox (message_id, subject, body, created_at, execution_id) VALUES ($1, $2, $3, $4, $5)";
        OffsetDateTime created = OffsetDateTime.parse("2024-01-01T00:00:00Z");
        database.preparedQuery(insert).execute(Tuple.of(hugeId, "tasks.staging.transfer",
                        Buffer.buffer(huge), created, UUID.fromString(id)))
                .chain(() -> database.preparedQuery(insert).execute(Tuple.of(behindId, "events.execution.behind",
                        Buffer.buffer(behind), created, UUID.fromString(other))))
                .await().atMost(PATIENCE);

        relay.kick();

        awaitPhase("alice", id, "FAILED");
        assertThat(as("alice").get("/api/v1/executions/" + id).then().extract().jsonPath().getString("reason"))
                .contains("could not be sent").contains("tasks.staging.transfer");
        assertThat(phase("alice", other)).isEqualTo("ACCEPTED");
        var rows = database.preparedQuery("SELECT message_id, published_at, failed_at, failure FROM outbox WHERE message_id IN ($1, $2)")
                .execute(Tuple.of(hugeId, behindId)).await().atMost(PATIENCE);
        Map<String, Row> byId = new HashMap<>();
        rows.forEach(row -> byId.put(row.getString("message_id"), row));
        assertThat(byId.get(hugeId).getValue("failed_at")).isNotNull();
        assertThat(byId.get(hugeId).getValue("published_at")).isNull();
        assertThat(byId.get(hugeId).getString("failure")).contains("refused");
        assertThat(byId.get(behindId).getValue("published_at")).as("the row behind it was published").isNotNull();
        var dead = await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> connection.jetStreamManagement().getLastMessage("DLQ", "dlq.tasks.staging.transfer"), m -> m != null);
        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("refused");
        assertThat(dead.getHeaders().getFirst(Headers.DLQ_ORIGINAL_SIZE)).isEqualTo(Integer.toString(huge.length));
    }

    private void sessionEvent(SessionEvent event) {
        Envelope envelope = from("canfar-adapter").create(event.sessionId() + "-" + event.status(), MessageTypes.SESSION_EVENT,
                Subjects.sessionEvents(event.sessionId()), null, event);
        publisher.publish(Subjects.sessionEvents(event.sessionId()), envelope).await().atMost(PATIENCE);
    }
}
