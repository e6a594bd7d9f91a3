package orrery.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import orrery.model.messaging.ConsumerSpec;
import orrery.model.messaging.JetStreamApi;
import orrery.model.messaging.NatsUsers;
import orrery.model.messaging.StreamSpec;
import orrery.model.messaging.Streams;
import orrery.model.messaging.Subjects;
import orrery.testsupport.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Orrery's NATS users and permissions ({@link NatsUsers}, rendered as {@code users.conf}) on a real
 * nats-server: what a builder may not do, what every service may, and that nobody gets in without
 * a login. One server for the class; each test uses subjects and consumers of its own.
 */
class NatsPermissionsTest {

    /** How long a refused request is waited for: the server answers a violation with an error, not a reply. */
    private static final Duration REFUSED = Duration.ofSeconds(1);
    /** A refused login is answered at once; jnats waits out its connection timeout before it says so. */
    private static final Duration REFUSAL = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static NatsServer nats;
    private static Connection admin;

    private final Map<Connection, List<String>> errors = new ConcurrentHashMap<>();
    private final List<Connection> opened = new ArrayList<>();

    @BeforeAll
    static void startNats() throws Exception {
        nats = NatsServer.startWithOrreryUsers();
        admin = Nats.connect(nats.options(NatsUsers.ADMIN).build());
    }

    @AfterAll
    static void stopNats() throws InterruptedException {
        if (admin != null) {
            admin.close();
        }
        if (nats != null) {
            nats.close();
        }
    }

    @AfterEach
    void closeClients() throws InterruptedException {
        for (Connection connection : opened) {
            connection.close();
        }
    }

    @Test
    void nobodyGetsInWithoutALogin() {
        Options anonymous = new Options.Builder().server(nats.url()).connectionTimeout(REFUSAL)
                .noReconnect().build();
        Options wrong = new Options.Builder().server(nats.url()).userInfo(NatsUsers.BUILDER, "guess")
                .connectionTimeout(REFUSAL).noReconnect().build();
        Options otherUsersPassword = new Options.Builder().server(nats.url())
                .userInfo(NatsUsers.EXECUTION_BROKER, nats.password(NatsUsers.BUILDER))
                .connectionTimeout(REFUSAL).noReconnect().build();

        assertThatThrownBy(() -> Nats.connect(anonymous).close()).hasMessageContaining("Authorization");
        assertThatThrownBy(() -> Nats.connect(wrong).close()).hasMessageContaining("Authorization");
        assertThatThrownBy(() -> Nats.connect(otherUsersPassword).close()).hasMessageContaining("Authorization");
    }

    @Test
    void aBuilderCannotSendCommandsOrQuestionsThatNameAUser() throws Exception {
        createStreams(admin);
        Connection builder = connect(NatsUsers.BUILDER);
        JetStream js = builder.jetStream(JetStreamOptions.builder().requestTimeout(REFUSED).build());

        assertThatThrownBy(() -> js.publish(Subjects.CANFAR_LAUNCH, "{}".getBytes(StandardCharsets.UTF_8)))
                .as("no stream acknowledgement: the server dropped the publish").isInstanceOf(Exception.class);
        builder.publish(Subjects.STAGING_TRANSFER, new byte[0]);
        builder.publish(Subjects.QUOTE_STAGING, new byte[0]);

        awaitViolation(builder, "Publish to \"" + Subjects.CANFAR_LAUNCH + "\"");
        awaitViolation(builder, "Publish to \"" + Subjects.STAGING_TRANSFER + "\"");
        awaitViolation(builder, "Publish to \"" + Subjects.QUOTE_STAGING + "\"");
        JetStreamManagement jsm = admin.jetStreamManagement();
        assertThatThrownBy(() -> jsm.getLastMessage(Streams.TASKS.name(), Subjects.CANFAR_LAUNCH))
                .isInstanceOf(JetStreamApiException.class).hasMessageContaining("no message found");
    }

    @Test
    void aBuilderCannotReadTheTasksOfOtherSubjects() throws Exception {
        createStreams(admin);
        Connection staging = connect(NatsUsers.STAGING_SERVICE);
        Connection broker = connect(NatsUsers.EXECUTION_BROKER);
        Connection builder = connect(NatsUsers.BUILDER);
        String tasks = Streams.TASKS.name();
        staging.jetStreamManagement().addOrUpdateConsumer(tasks, durable("staging", Subjects.STAGING_ALL));
        broker.jetStream().publish(Subjects.STAGING_TRANSFER, "for alice".getBytes(StandardCharsets.UTF_8));
        JetStreamManagement jsm = builder.jetStreamManagement(JetStreamOptions.builder().requestTimeout(REFUSED).build());

        // A consumer of its own on another subject, in each form of the API: refused by permission...
        assertThatThrownBy(() -> jsm.addOrUpdateConsumer(tasks, durable("evil", Subjects.STAGING_ALL)))
                .isInstanceOf(Exception.class);
        awaitViolation(builder, "Publish to \"" + JetStreamApi.consumerCreate(tasks, "evil", Subjects.STAGING_ALL) + "\"");
        for (String subject : List.of(JetStreamApi.consumerCreateLegacy(tasks),
                JetStreamApi.consumerCreateDurableLegacy(tasks, "evil"),
                JetStreamApi.consumerCreateUnfiltered(tasks, "evil"))) {
            assertThat(builder.request(subject, createRequest("evil", Subjects.STAGING_ALL), REFUSED)).as(subject).isNull();
            awaitViolation(builder, "Publish to \"" + subject + "\"");
        }
        // ... or by the server when the body's filter is not the one the (permitted) subject names.
        Message mismatch = builder.request(JetStreamApi.consumerCreate(tasks, "evil", Subjects.BUILD_ALL),
                createRequest("evil", Subjects.STAGING_ALL), WAIT);
        assertThat(new String(mismatch.getData(), StandardCharsets.UTF_8)).contains("\"error\"").contains("filter");
        assertThat(admin.jetStreamManagement().getConsumerNames(tasks)).doesNotContain("evil");

        // Pulling from the staging service's consumer, reading the stream, or listening to inboxes.
        assertThat(builder.request(JetStreamApi.consumerNext(tasks, "staging"),
                "{\"batch\":1}".getBytes(StandardCharsets.UTF_8), REFUSED)).isNull();
        awaitViolation(builder, "Publish to \"" + JetStreamApi.consumerNext(tasks, "staging") + "\"");
        assertThat(builder.request(JetStreamApi.streamMessageGet(tasks),
                "{\"seq\":1}".getBytes(StandardCharsets.UTF_8), REFUSED)).isNull();
        awaitViolation(builder, "Publish to \"" + JetStreamApi.streamMessageGet(tasks) + "\"");
        builder.subscribe(NatsUsers.SERVICE_INBOXES);
        builder.subscribe(Subjects.TASKS_ALL);
        awaitViolation(builder, "Subscription to \"" + NatsUsers.SERVICE_INBOXES + "\"");
        awaitViolation(builder, "Subscription to \"" + Subjects.TASKS_ALL + "\"");

        // The staging service still gets its task.
        ConsumerContext consumer = staging.getConsumerContext(tasks, "staging");
        Message task = consumer.next(WAIT);
        assertThat(task).isNotNull();
        assertThat(new String(task.getData(), StandardCharsets.UTF_8)).isEqualTo("for alice");
        task.ackSync(WAIT);
    }

    @Test
    void aBuilderConsumesItsBuildTasksReportsAndAnswersRuleQuestions() throws Exception {
        createStreams(admin);
        Connection deps = connect(NatsUsers.DEPENDENCY_MANAGER);
        Connection builder = connect(NatsUsers.BUILDER);
        String tasks = Streams.TASKS.name();

        builder.jetStreamManagement().addOrUpdateConsumer(tasks, durable("latex", Subjects.build("latex")));
        deps.jetStream().publish(Subjects.build("latex"), "build paper.pdf".getBytes(StandardCharsets.UTF_8));
        Message task = builder.getConsumerContext(tasks, "latex").next(WAIT);
        assertThat(task).isNotNull();
        task.ackSync(WAIT);
        assertThat(builder.jetStream().publish(Subjects.taskEvents("b-1"), "done".getBytes(StandardCharsets.UTF_8))
                .getStream()).isEqualTo(Streams.EVENTS.name());

        builder.createDispatcher(question -> builder.publish(question.getReplyTo(), "latex can".getBytes(StandardCharsets.UTF_8)))
                .subscribe(Subjects.RULES_HOWTO);
        builder.flush(WAIT);
        Message answer = deps.request(Subjects.RULES_HOWTO, "paper.pdf?".getBytes(StandardCharsets.UTF_8), WAIT);
        assertThat(new String(answer.getData(), StandardCharsets.UTF_8)).isEqualTo("latex can");
        assertThat(errorsOf(builder)).isEmpty();
        assertThat(errorsOf(deps)).isEmpty();
    }

    @Test
    void everyServiceCreatesTheStreamsAndUsesItsOwnConsumers() throws Exception {
        for (String service : NatsUsers.SERVICES) {
            Connection connection = connect(service);
            JetStreamManagement jsm = connection.jetStreamManagement();
            createStreams(connection); // whichever starts first creates them; the others find them as they are
            assertThat(jsm.getStreamNames()).contains("TASKS", "EVENTS", "DLQ");
            for (ConsumerSpec spec : NatsUsers.consumersOf(service)) {
                String filter = spec.filterSubject().replace("*", "shell");
                assertThat(jsm.getConsumerNames(spec.stream())).isNotNull();
                jsm.addOrUpdateConsumer(spec.stream(), durable(spec.name(), filter));
                String subject = filter.replace(">", "t-" + service);
                admin.jetStream().publish(subject, service.getBytes(StandardCharsets.UTF_8));
                Message message = connection.getConsumerContext(spec.stream(), spec.name()).next(WAIT);
                assertThat(message).as(service + " on " + spec).isNotNull();
                assertThat(message.getSubject()).isEqualTo(subject);
                message.ackSync(WAIT);
                // a message it cannot handle goes to the dead-letter stream
                assertThat(connection.jetStream().publish(Subjects.deadLetter(subject), new byte[0]).getStream())
                        .isEqualTo(Streams.DLQ.name());
            }
            assertThat(errorsOf(connection)).as(service).isEmpty();
        }
    }

    @Test
    void eachServicePublishesItsOwnFactsOnly() throws Exception {
        createStreams(admin);
        Map<String, String> facts = Map.of(
                NatsUsers.EXECUTION_BROKER, Subjects.executionEvents("e-1"),
                NatsUsers.STAGING_SERVICE, Subjects.taskEvents("t-1"),
                NatsUsers.CANFAR_ADAPTER, Subjects.sessionEvents("s-1"),
                NatsUsers.FS_WATCHER, Subjects.fsEvents("projects"),
                NatsUsers.DEPENDENCY_MANAGER, Subjects.artefactEvents("a-1"));
        for (var fact : facts.entrySet()) {
            Connection connection = connect(fact.getKey());
            assertThat(connection.jetStream().publish(fact.getValue(), new byte[0]).getStream())
                    .isEqualTo(Streams.EVENTS.name());
            for (var other : facts.entrySet()) {
                if (!other.getKey().equals(fact.getKey()) && !other.getValue().startsWith("events.task.")) {
                    connection.publish(other.getValue(), new byte[0]);
                    awaitViolation(connection, "Publish to \"" + other.getValue() + "\"");
                }
            }
        }
    }

    @Test
    void theBrokerAsksAndTheAnsweringServicesReply() throws Exception {
        Connection broker = connect(NatsUsers.EXECUTION_BROKER);
        Connection staging = connect(NatsUsers.STAGING_SERVICE);
        Connection canfar = connect(NatsUsers.CANFAR_ADAPTER);
        staging.createDispatcher(m -> staging.publish(m.getReplyTo(), "staging quote".getBytes(StandardCharsets.UTF_8)))
                .subscribe(Subjects.QUOTE_STAGING, "staging-service");
        canfar.createDispatcher(m -> canfar.publish(m.getReplyTo(), "canfar quote".getBytes(StandardCharsets.UTF_8)))
                .subscribe(Subjects.QUOTE_CANFAR, "canfar-adapter");
        staging.flush(WAIT);
        canfar.flush(WAIT);

        assertThat(new String(broker.request(Subjects.QUOTE_STAGING, new byte[0], WAIT).getData(),
                StandardCharsets.UTF_8)).isEqualTo("staging quote");
        assertThat(new String(broker.request(Subjects.QUOTE_CANFAR, new byte[0], WAIT).getData(),
                StandardCharsets.UTF_8)).isEqualTo("canfar quote");
        assertThat(errorsOf(staging)).isEmpty();

        // Replies are allowed, not inboxes: a service cannot write into another client's inbox.
        staging.publish("_INBOX.someone-else", new byte[0]);
        awaitViolation(staging, "Publish to \"_INBOX.someone-else\"");
        // Only the service that answers a question may listen to it.
        staging.subscribe(Subjects.QUOTE_CANFAR);
        awaitViolation(staging, "Subscription to \"" + Subjects.QUOTE_CANFAR + "\"");
    }

    @Test
    void theFsWatcherKeepsItsKeyValueBucketsButCannotDeleteTheStreams() throws Exception {
        createStreams(admin);
        Connection watcher = connect(NatsUsers.FS_WATCHER);
        KeyValueManagement kvm = watcher.keyValueManagement();
        kvm.create(KeyValueConfiguration.builder().name("fswatch-index-perm").maxHistoryPerKey(1)
                .storageType(StorageType.File).build());
        KeyValue kv = watcher.keyValue("fswatch-index-perm");
        kv.put("cGF0aA", "entry".getBytes(StandardCharsets.UTF_8));
        assertThat(kv.get("cGF0aA").getValueAsString()).isEqualTo("entry");
        List<String> watched = new CopyOnWriteArrayList<>();
        var watch = kv.watchAll(new KeyValueWatcher() {
            @Override
            public void watch(KeyValueEntry entry) {
                watched.add(entry.getKey());
            }

            @Override
            public void endOfData() {
                watched.add("(end of data)");
            }
        });
        await().atMost(WAIT).until(() -> watched.contains("cGF0aA"));
        watch.unsubscribe();
        kvm.delete("fswatch-index-perm");
        assertThat(errorsOf(watcher)).isEmpty();

        JetStreamManagement jsm = watcher.jetStreamManagement(JetStreamOptions.builder().requestTimeout(REFUSED).build());
        assertThatThrownBy(() -> jsm.deleteStream(Streams.TASKS.name())).isInstanceOf(Exception.class);
        awaitViolation(watcher, "Publish to \"" + JetStreamApi.streamDelete(Streams.TASKS.name()) + "\"");
        assertThat(admin.jetStreamManagement().getStreamNames()).contains(Streams.TASKS.name());
    }

    // --- helpers ---------------------------------------------------------------------------

    private Connection connect(String user) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Connection connection = Nats.connect(nats.options(user).errorListener(new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                seen.add(error);
            }
        }).build());
        errors.put(connection, seen);
        opened.add(connection);
        return connection;
    }

    private List<String> errorsOf(Connection connection) {
        return List.copyOf(errors.get(connection));
    }

    private void awaitViolation(Connection connection, String what) {
        await(what).atMost(WAIT).until(() -> errors.get(connection).stream()
                .anyMatch(e -> e.contains("Permissions Violation for " + what)));
    }

    /** Creates the three streams as a service does (the same configuration each time, so later calls find them). */
    private static void createStreams(Connection connection) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        for (StreamSpec spec : Streams.ALL) {
            StreamConfiguration config = StreamConfiguration.builder().name(spec.name()).subjects(spec.subjects())
                    .retentionPolicy(spec.retention() == StreamSpec.Retention.WORK_QUEUE ? RetentionPolicy.WorkQueue
                            : RetentionPolicy.Limits)
                    .storageType(StorageType.File).maxBytes(spec.maxBytes() > 0 ? 64L << 20 : -1)
                    .duplicateWindow(spec.duplicateWindow()).build();
            jsm.addStream(config);
        }
    }

    /** A durable pull consumer; on EVENTS it starts at new messages, so earlier tests' events do not reach it. */
    private static ConsumerConfiguration durable(String name, String filter) {
        return ConsumerConfiguration.builder().name(name).durable(name).filterSubject(filter)
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(filter.startsWith(Subjects.TASKS + ".") ? DeliverPolicy.All : DeliverPolicy.New).build();
    }

    private static byte[] createRequest(String name, String filter) {
        return ("{\"stream_name\":\"TASKS\",\"config\":{\"name\":\"" + name + "\",\"durable_name\":\"" + name
                + "\",\"filter_subject\":\"" + filter + "\",\"ack_policy\":\"explicit\",\"deliver_policy\":\"all\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
