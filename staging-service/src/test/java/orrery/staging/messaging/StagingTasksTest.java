package orrery.staging.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import io.nats.client.api.MessageInfo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.identity.UserNames;
import orrery.model.messaging.Headers;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.staging.CancelTask;
import orrery.model.staging.Checks;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.StagingItem;
import orrery.model.staging.TransferResult;
import orrery.model.staging.TransferTask;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.staging.StagingTestResource;
import orrery.staging.domain.TransferIds;
import orrery.support.messaging.JetStreamPublisher;
import orrery.testsupport.FileServer;
import orrery.testsupport.JetStreamProbe;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The staging service driven as the broker drives it: commands on TASKS, reports on EVENTS. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(StagingTestResource.class)
@WithTestResource(JwtTestResource.class)
class StagingTasksTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    JetStreamPublisher publisher;

    @Inject
    EnvelopeFactory envelopes;

    @Inject
    EnvelopeCodec codec;

    @Inject
    Connection connection;

    @Inject
    Pool pool;

    private JetStreamProbe probe;
    private FileServer server;
    private String execution;

    @BeforeEach
    void setUp() {
        probe = new JetStreamProbe(connection);
        server = StagingTestResource.server();
        execution = "exec-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createsTheSessionFolder() {
        String taskId = send(Subjects.STAGING_DIRECTORY, MessageTypes.STAGING_DIRECTORY,
                new DirectoryTask(id(), "alice", execution));

        TaskEvent done = awaitFinal(taskId);

        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(done.kind()).isEqualTo("staging.directory");
        assertThat(StagingTestResource.storage().resolve("home/alice/broker/" + execution)).isDirectory();
    }

    @Test
    void stagesAFileAndReportsItsChecksums() throws Exception {
        byte[] data = serve("nb-" + execution + ".ipynb", 200_000);

        String taskId = transfer("notebook.ipynb", "/files/nb-" + execution + ".ipynb", new Checks((long) data.length, md5(data)));
        TaskEvent done = awaitFinal(taskId);

        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        TransferResult result = codec.mapper().treeToValue(done.result(), TransferResult.class);
        assertThat(result.path()).isEqualTo("home/alice/broker/" + execution + "/notebook.ipynb");
        assertThat(result.md5()).isEqualTo(md5(data));
        assertThat(result.sha256()).isEqualTo(sha256(data));
        assertThat(result.transferred()).isTrue();
        assertThat(Files.readAllBytes(StagingTestResource.storage().resolve(result.path()))).isEqualTo(data);
        assertThat(events(taskId)).as("a RUNNING report before the final one").anyMatch(e -> e.state() == TaskState.RUNNING);
    }

    @Test
    void aFilePresentWithTheSameChecksCompletesWithoutTransfer() throws Exception {
        byte[] data = serve("same-" + execution, 1000);
        placeInSession("same.dat", data);

        TaskEvent done = awaitFinal(transfer("same.dat", "/files/same-" + execution, new Checks((long) data.length, md5(data))));

        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(codec.mapper().treeToValue(done.result(), TransferResult.class).transferred()).isFalse();
        assertThat(server.requests("/files/same-" + execution)).isZero();
    }

    @Test
    void aDifferentFilePresentFailsAndIsNotOverwritten() throws Exception {
        byte[] data = serve("diff-" + execution, 1000);
        Path existing = placeInSession("diff.dat", "other".getBytes(StandardCharsets.UTF_8));

        TaskEvent done = awaitFinal(transfer("diff.dat", "/files/diff-" + execution, new Checks((long) data.length, md5(data))));

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.reason()).contains("already there").contains("never overwrites");
        assertThat(Files.readString(existing)).isEqualTo("other");
    }

    @Test
    void aChecksumMismatchFailsAndRemovesThePartialFile() throws Exception {
        serve("bad-" + execution, 5000);

        TaskEvent done = awaitFinal(transfer("bad.dat", "/files/bad-" + execution,
                new Checks(5000L, "0123456789abcdef0123456789abcdef")));

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.reason()).contains("MD5 mismatch");
        assertThat(sessionFiles()).isEmpty();
    }

    @Test
    void aRedeliveredCommandTransfersOnceAndReportsTheSameResult() throws Exception {
        byte[] data = serve("once-" + execution, 50_000);
        TransferTask task = new TransferTask(id(), "alice", execution,
                new StagingItem("once.dat", server.url("/files/once-" + execution), new Checks((long) data.length, md5(data))));

        // The broker re-publishing the command after a crash (a new envelope, same task id).
        sendAs(UUID.randomUUID().toString(), task);
        TaskEvent first = awaitFinal(task.taskId());
        sendAs(UUID.randomUUID().toString(), task);

        await().atMost(PATIENCE).until(() -> probe.count("EVENTS", Subjects.taskEvents(task.taskId())) >= 1);
        assertThat(server.requests("/files/once-" + execution)).isEqualTo(1);
        TaskEvent again = awaitFinal(task.taskId());
        assertThat(again).isEqualTo(first);
    }

    @Test
    void pathTraversalFailsTheTaskWithTheReason() {
        TaskEvent done = awaitFinal(transfer("../../bob/.ssh/authorized_keys", "/files/x", Checks.none()));

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.reason()).contains("contains '..'");
    }

    @Test
    void aDisallowedHostFailsTheTaskWithTheReason() {
        String taskId = send(Subjects.STAGING_TRANSFER, MessageTypes.STAGING_TRANSFER, new TransferTask(id(), "alice", execution,
                new StagingItem("x.dat", "https://evil.example.com/x.dat", Checks.none())));

        TaskEvent done = awaitFinal(taskId);

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.reason()).contains("not on the staging allow-list");
    }

    @Test
    void concurrentTransfersOfTheSameItemFetchItOnce() throws Exception {
        byte[] data = serve("race-" + execution, 300_000);
        Checks checks = new Checks((long) data.length, md5(data));
        server.holdAfter(100_000);

        String a = transfer("race.dat", "/hold/race-" + execution, checks);
        String b = transfer("race.dat", "/hold/race-" + execution, checks);
        await().atMost(PATIENCE).until(() -> server.requests("/hold/race-" + execution) == 1);
        server.release("race-" + execution);

        TaskEvent first = awaitFinal(a);
        TaskEvent second = awaitFinal(b);
        assertThat(first.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(second.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(server.requests("/hold/race-" + execution)).isEqualTo(1);
        assertThat(Stream.of(first, second).map(e -> e.result().path("transferred").asBoolean()))
                .containsExactlyInAnyOrder(true, false);
    }

    @Test
    void aCancelStopsARunningTransferAndRemovesItsPartialFile() throws Exception {
        serve("held-" + execution, 400_000);
        server.holdAfter(100_000);
        String taskId = transfer("held.dat", "/hold/held-" + execution, Checks.none());
        await().atMost(PATIENCE).until(() -> events(taskId).stream().anyMatch(e -> e.state() == TaskState.RUNNING));

        send(Subjects.STAGING_CANCEL, MessageTypes.STAGING_CANCEL, new CancelTask(taskId));

        TaskEvent done = awaitFinal(taskId);
        assertThat(done.state()).isEqualTo(TaskState.CANCELLED);
        await().atMost(PATIENCE).until(() -> sessionFiles().isEmpty());
        server.release("held-" + execution);
    }

    @Test
    void aCancelBeforeTheCommandMeansTheCommandDoesNothing() throws Exception {
        serve("late-" + execution, 1000);
        String taskId = id();
        send(Subjects.STAGING_CANCEL, MessageTypes.STAGING_CANCEL, new CancelTask(taskId));
        awaitFinal(taskId);

        sendAs(UUID.randomUUID().toString(), new TransferTask(taskId, "alice", execution,
                new StagingItem("late.dat", server.url("/files/late-" + execution), Checks.none())));

        await().atMost(PATIENCE).until(() -> probe.count("EVENTS", Subjects.taskEvents(taskId)) >= 1);
        assertThat(awaitFinal(taskId).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(server.requests("/files/late-" + execution)).isZero();
    }

    @Test
    void aPoisonCommandGoesToTheDeadLetterStream() throws Exception {
        connection.jetStream().publish(Subjects.STAGING_TRANSFER, "{\"specversion\":\"1.0\"".getBytes(StandardCharsets.UTF_8));

        MessageInfo dead = await().atMost(PATIENCE)
                .until(() -> probe.lastRaw("DLQ", "dlq." + Subjects.STAGING_TRANSFER), m -> m != null);

        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("unreadable message");
    }

    @Test
    void aCommandWithAMissingFieldGoesToTheDeadLetterStreamNamingIt() throws Exception {
        Envelope envelope = envelopes.create(id(), MessageTypes.STAGING_DIRECTORY, Subjects.STAGING_DIRECTORY, null,
                java.util.Map.of("taskId", "x", "user", "alice"));
        connection.jetStream().publish("tasks.staging.directory", codec.encode(envelope));

        MessageInfo dead = await().atMost(PATIENCE)
                .until(() -> probe.lastRaw("DLQ", "dlq.tasks.staging.directory"), m -> m != null
                        && m.getHeaders().getFirst(Headers.DLQ_REASON).contains("executionId"));

        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("'data.executionId' is required");
    }

    @Test
    void aCommandWhoseContentDiffersFromTheStoredOneIsDeadLetteredNotAnswered() throws Exception {
        byte[] data = serve("first-" + execution, 1000);
        String taskId = transfer("first.dat", "/files/first-" + execution, new Checks((long) data.length, md5(data)));
        assertThat(awaitFinal(taskId).state()).isEqualTo(TaskState.COMPLETED);
        await().atMost(PATIENCE).until(() -> finalPublished(taskId));
        Subscription live = connection.subscribe(Subjects.taskEvents(taskId));
        connection.flush(Duration.ofSeconds(5));

        // The same id with another item, then as another kind of command: neither is the stored command.
        sendAs(UUID.randomUUID().toString(), new TransferTask(taskId, "alice", execution,
                new StagingItem("second.dat", server.url("/files/first-" + execution), Checks.none())));
        MessageInfo dead = awaitDeadLetter(Subjects.STAGING_TRANSFER, taskId);
        Envelope directory = envelopes.create(UUID.randomUUID().toString(), MessageTypes.STAGING_DIRECTORY,
                Subjects.STAGING_DIRECTORY, execution, new DirectoryTask(taskId, "alice", execution));
        publisher.publish(Subjects.STAGING_DIRECTORY, directory).await().atMost(Duration.ofSeconds(10));
        MessageInfo deadDirectory = awaitDeadLetter(Subjects.STAGING_DIRECTORY, taskId);

        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("already used by a different command")
                .contains("item.name");
        assertThat(deadDirectory.getHeaders().getFirst(Headers.DLQ_REASON)).contains("kind");
        connection.flush(Duration.ofSeconds(5));
        assertThat(live.getPendingMessageCount()).as("no report was published for the refused commands").isZero();
        live.unsubscribe();
        given().auth().oauth2(JwtTestResource.token("alice")).get("/api/v1/transfers/" + taskId).then().statusCode(200)
                .body("name", equalTo("first.dat")).body("state", equalTo("COMPLETED"));
        assertThat(server.requests("/files/first-" + execution)).isEqualTo(1);
    }

    @Test
    void commandsOnNatsMayNotUseTheRestNamespace() {
        String taskId = TransferIds.forCaller("alice", "mine");
        sendAs(UUID.randomUUID().toString(), new TransferTask(taskId, "alice", execution,
                new StagingItem("x.dat", server.url("/files/x"), Checks.none())));

        MessageInfo dead = awaitDeadLetter(Subjects.STAGING_TRANSFER, taskId);

        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("reserved for transfers started over REST");
        given().auth().oauth2(JwtTestResource.admin("root")).get("/api/v1/transfers/" + taskId).then().statusCode(404);
    }

    @Test
    void aRestCallerCannotTakeABrokerTaskId() throws Exception {
        String brokerTask = "eb-" + execution + "-folder";
        send(Subjects.STAGING_DIRECTORY, MessageTypes.STAGING_DIRECTORY, new DirectoryTask(brokerTask, "alice", execution));
        assertThat(awaitFinal(brokerTask).state()).isEqualTo(TaskState.COMPLETED);
        long reports = probe.count("EVENTS", Subjects.taskEvents(brokerTask));

        serve("mine-" + execution, 100);
        String id = given().auth().oauth2(JwtTestResource.token("alice")).contentType(ContentType.JSON)
                .body(java.util.Map.of("taskId", brokerTask, "executionId", execution,
                        "item", java.util.Map.of("name", "x.dat", "url", server.url("/files/mine-" + execution))))
                .post("/api/v1/transfers").then().statusCode(202).extract().path("id");

        assertThat(id).startsWith(TransferIds.REST_PREFIX).isNotEqualTo(brokerTask);
        awaitFinal(id);
        assertThat(probe.count("EVENTS", Subjects.taskEvents(brokerTask))).isEqualTo(reports);
        given().auth().oauth2(JwtTestResource.token("alice")).get("/api/v1/transfers/" + brokerTask).then().statusCode(200)
                .body("kind", equalTo("directory")).body("state", equalTo("COMPLETED"));
        given().auth().oauth2(JwtTestResource.token("bob")).get("/api/v1/transfers/" + brokerTask).then().statusCode(404);
    }

    @Test
    void tasksNamingAnEmailLikeUserStageIntoTheirFolder() throws Exception {
        String user = "carol.smith+obs@example.org";
        byte[] data = serve("mail-" + execution, 4000);
        String folderTask = send(Subjects.STAGING_DIRECTORY, MessageTypes.STAGING_DIRECTORY, new DirectoryTask(id(), user, execution));
        String fileTask = send(Subjects.STAGING_TRANSFER, MessageTypes.STAGING_TRANSFER, new TransferTask(id(), user, execution,
                new StagingItem("data/mail.dat", server.url("/files/mail-" + execution), new Checks((long) data.length, md5(data)))));

        assertThat(awaitFinal(folderTask).state()).isEqualTo(TaskState.COMPLETED);
        TaskEvent done = awaitFinal(fileTask);

        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        String path = "home/" + user + "/broker/" + execution + "/data/mail.dat";
        assertThat(done.result().path("path").asText()).isEqualTo(path);
        assertThat(Files.readAllBytes(StagingTestResource.storage().resolve(path))).isEqualTo(data);
    }

    @Test
    void tasksNamingAnInvalidUserFailWithTheSharedRule() {
        String folderTask = send(Subjects.STAGING_DIRECTORY, MessageTypes.STAGING_DIRECTORY, new DirectoryTask(id(), "../root", execution));
        String fileTask = send(Subjects.STAGING_TRANSFER, MessageTypes.STAGING_TRANSFER, new TransferTask(id(), "bad user", execution,
                new StagingItem("x.dat", server.url("/files/x"), Checks.none())));

        for (String taskId : java.util.List.of(folderTask, fileTask)) {
            TaskEvent done = awaitFinal(taskId);
            assertThat(done.state()).isEqualTo(TaskState.FAILED);
            assertThat(done.reason()).contains("is not a valid user name").contains(UserNames.RULE);
        }
        assertThat(StagingTestResource.storage().resolve("root")).doesNotExist();
    }

    @Test
    void aTransferFromARefusedAddressFailsWithTheReason() {
        int port = java.net.URI.create(server.url("/")).getPort();
        String metadata = send(Subjects.STAGING_TRANSFER, MessageTypes.STAGING_TRANSFER, new TransferTask(id(), "alice", execution,
                new StagingItem("creds.json", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", Checks.none())));
        String compatible = send(Subjects.STAGING_TRANSFER, MessageTypes.STAGING_TRANSFER, new TransferTask(id(), "alice", execution,
                new StagingItem("x.dat", "http://[::127.0.0.1]:" + port + "/files/x", Checks.none())));
        String redirected = transfer("y.dat", "/redirect?to=" + java.net.URLEncoder.encode("http://10.20.30.40/y.dat",
                StandardCharsets.UTF_8), Checks.none());

        assertThat(awaitFinal(metadata)).satisfies(e -> {
            assertThat(e.state()).isEqualTo(TaskState.FAILED);
            assertThat(e.reason()).contains("169.254.169.254").contains("metadata");
        });
        assertThat(awaitFinal(compatible)).satisfies(e -> {
            assertThat(e.state()).isEqualTo(TaskState.FAILED);
            assertThat(e.reason()).contains("IPv4-compatible");
        });
        assertThat(awaitFinal(redirected)).satisfies(e -> {
            assertThat(e.state()).isEqualTo(TaskState.FAILED);
            assertThat(e.reason()).contains("redirect was refused").contains("private");
        });
        assertThat(server.requests("/files/x")).isZero();
    }

    // --- helpers ---------------------------------------------------------------------------------

    private MessageInfo awaitDeadLetter(String subject, String taskId) {
        return await().atMost(PATIENCE).until(() -> probe.lastRaw("DLQ", "dlq." + subject),
                m -> m != null && m.getHeaders().getFirst(Headers.DLQ_REASON) != null
                        && m.getHeaders().getFirst(Headers.DLQ_REASON).contains(taskId));
    }

    private boolean finalPublished(String taskId) {
        return pool.preparedQuery("SELECT final_published FROM staging_task WHERE task_id = $1")
                .execute(Tuple.of(taskId)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getBoolean("final_published");
    }

    private String transfer(String name, String path, Checks checks) {
        return send(Subjects.STAGING_TRANSFER, MessageTypes.STAGING_TRANSFER,
                new TransferTask(id(), "alice", execution, new StagingItem(name, server.url(path), checks)));
    }

    private String send(String subject, String type, Object task) {
        String taskId = taskIdOf(task);
        // A command's message id is its task id, so re-publishes are dropped; a cancel about the
        // same task is a different command and needs an id of its own.
        String messageId = task instanceof CancelTask ? taskId + "-cancel" : taskId;
        Envelope envelope = envelopes.create(messageId, type, subject, execution, task);
        publisher.publish(subject, envelope).await().atMost(Duration.ofSeconds(10));
        return taskId;
    }

    private void sendAs(String envelopeId, TransferTask task) {
        Envelope envelope = envelopes.create(envelopeId, MessageTypes.STAGING_TRANSFER, Subjects.STAGING_TRANSFER, execution, task);
        publisher.publish(Subjects.STAGING_TRANSFER, envelope).await().atMost(Duration.ofSeconds(10));
    }

    private static String taskIdOf(Object task) {
        if (task instanceof TransferTask t) {
            return t.taskId();
        }
        if (task instanceof DirectoryTask d) {
            return d.taskId();
        }
        return ((CancelTask) task).taskId();
    }

    private TaskEvent awaitFinal(String taskId) {
        Envelope last = probe.awaitLast("EVENTS", Subjects.taskEvents(taskId),
                e -> toEvent(e).state().isFinal(), PATIENCE);
        return toEvent(last);
    }

    private java.util.List<TaskEvent> events(String taskId) {
        return probe.all("EVENTS", Subjects.taskEvents(taskId)).stream().map(this::toEvent).toList();
    }

    private TaskEvent toEvent(Envelope envelope) {
        return codec.data(envelope, TaskEvent.class);
    }

    private byte[] serve(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(name.hashCode()).nextBytes(data);
        Files.write(server.root().resolve(name), data);
        return data;
    }

    private Path placeInSession(String name, byte[] data) throws Exception {
        Path file = StagingTestResource.storage().resolve("home/alice/broker/" + execution + "/" + name);
        Files.createDirectories(file.getParent());
        return Files.write(file, data);
    }

    private java.util.List<Path> sessionFiles() throws Exception {
        Path folder = StagingTestResource.storage().resolve("home/alice/broker/" + execution);
        if (!Files.exists(folder)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static String id() {
        return "t-" + UUID.randomUUID();
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
