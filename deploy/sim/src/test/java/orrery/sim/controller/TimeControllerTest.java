package orrery.sim.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import orrery.model.messaging.NatsUsers;
import orrery.model.sim.SimTime;
import orrery.model.time.SystemTimeSource;
import orrery.sim.OrrerySim;
import orrery.sim.cli.ExitCodes;
import orrery.testsupport.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller against a real nats-server (with Orrery's users; everyone logs in as admin here),
 * with two participants written in the test and a JetStream consumer that holds a message.
 */
class TimeControllerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static NatsServer server;
    private static Connection admin;
    private static SystemTimeSource wall;
    private static final ExecutorService THREADS = Executors.newCachedThreadPool();

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startNats() throws Exception {
        server = NatsServer.startWithOrreryUsers();
        admin = Nats.connect(server.options(NatsUsers.ADMIN).build());
        wall = new SystemTimeSource();
    }

    @AfterAll
    static void stopNats() throws Exception {
        THREADS.shutdownNow();
        wall.close();
        admin.close();
        server.close();
    }

    @BeforeEach
    void freshStreams() throws Exception {
        JetStreamManagement jsm = admin.jetStreamManagement();
        for (String stream : List.of("TASKS", "EVENTS")) {
            try {
                jsm.deleteStream(stream);
            } catch (JetStreamApiException absent) {
                // first test
            }
        }
        jsm.addStream(StreamConfiguration.builder().name("TASKS").subjects("tasks.>").retentionPolicy(RetentionPolicy.WorkQueue)
                .storageType(StorageType.Memory).build());
        jsm.addStream(StreamConfiguration.builder().name("EVENTS").subjects("events.>").storageType(StorageType.Memory).build());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    @Test
    void timeMovesOnlyWhenBothParticipantsAreIdleAndThenToTheEarliestWake() throws Exception {
        TimeController controller = controller(TimeController.Settings.of(T0, Set.of("a", "b")));
        FakeParticipant a = participant("a");
        FakeParticipant b = participant("b");

        assertThat(a.join()).isEqualTo(new SimTime(0, T0));
        await().atMost(PATIENCE).until(() -> controller.waitingFor().equals("waiting for b to join"));
        a.idle(T0.plusSeconds(3600));
        assertThat(b.join()).isEqualTo(new SimTime(0, T0));
        await().atMost(PATIENCE).until(() -> controller.waitingFor().equals("waiting for b (no idle report since it joined)"));
        assertThat(controller.time()).isEqualTo(new SimTime(0, T0));

        b.idle(T0.plusSeconds(1800));

        SimTime first = new SimTime(1, T0.plusSeconds(1800), Set.of("b")); // b's wake-up alone
        await().atMost(PATIENCE).until(() -> first.equals(a.time()) && first.equals(b.time()));
        await().atMost(PATIENCE).until(() -> controller.waitingFor().contains("no idle report for epoch 1 yet"));
        assertThat(controller.time()).isEqualTo(new SimTime(1, T0.plusSeconds(1800)));

        a.idle(T0.plusSeconds(3600));
        b.idle(null);
        SimTime second = new SimTime(2, T0.plusSeconds(3600), Set.of("a"));
        await().atMost(PATIENCE).until(() -> second.equals(a.time()) && second.equals(b.time()));
        assertThat(a.now()).isEqualTo(new SimTime(2, T0.plusSeconds(3600))); // sim.now names no wake-up
        assertThat(a.announced()).containsSubsequence(first, second);
        assertThat(controller.advances()).isEqualTo(2);
    }

    @Test
    void aConsumerWithAPendingOrUnackedMessageHoldsTimeUntilItAcks() throws Exception {
        TimeController controller = controller(TimeController.Settings.of(T0, Set.of("a", "b")));
        FakeParticipant a = participant("a");
        FakeParticipant b = participant("b");
        JetStreamManagement jsm = admin.jetStreamManagement();
        jsm.addOrUpdateConsumer("TASKS", ConsumerConfiguration.builder().durable("holder").filterSubject("tasks.test.>")
                .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofMinutes(5)).build());
        JetStream js = admin.jetStream();
        // a published a task (the stream acked it), then reported idle; b (the consumer) reports idle too
        js.publish("tasks.test.one", "{}".getBytes(StandardCharsets.UTF_8));
        a.join();
        b.join();
        a.idle(T0.plusSeconds(60));
        b.idle(null);

        await().atMost(PATIENCE).until(() -> controller.waitingFor().equals("JetStream: TASKS/holder has 1 pending, 0 awaiting ack"));
        JetStreamSubscription pull = js.subscribe("tasks.test.>", PullSubscribeOptions.bind("TASKS", "holder"));
        List<Message> fetched = pull.fetch(1, Duration.ofSeconds(5));
        assertThat(fetched).hasSize(1);
        await().atMost(PATIENCE).until(() -> controller.waitingFor().equals("JetStream: TASKS/holder has 0 pending, 1 awaiting ack"));
        assertThat(controller.time()).isEqualTo(new SimTime(0, T0));

        fetched.get(0).ack();

        await().atMost(PATIENCE).until(() -> new SimTime(1, T0.plusSeconds(60), Set.of("a")).equals(a.time()));
        pull.unsubscribe();
    }

    @Test
    void theJetStreamCheckNamesEachConsumerWithABacklogAndSkipsIgnoredOnes() throws Exception {
        JetStreamManagement jsm = admin.jetStreamManagement();
        jsm.addOrUpdateConsumer("EVENTS", ConsumerConfiguration.builder().durable("absent-service").filterSubject("events.task.>")
                .ackPolicy(AckPolicy.Explicit).build());
        jsm.addOrUpdateConsumer("EVENTS", ConsumerConfiguration.builder().durable("other").filterSubject("events.fs.>")
                .ackPolicy(AckPolicy.Explicit).build());
        try (JetStreamWatch all = new JetStreamWatch(admin, Set.of());
             JetStreamWatch skipping = new JetStreamWatch(admin, Set.of("absent-service"))) {
            assertThat(all.check()).isEqualTo(JetStreamStatus.QUIET);

            admin.jetStream().publish("events.task.t1", "{}".getBytes(StandardCharsets.UTF_8));
            admin.jetStream().publish("events.task.t2", "{}".getBytes(StandardCharsets.UTF_8));

            assertThat(all.check()).isEqualTo(JetStreamStatus.holding("EVENTS/absent-service has 2 pending, 0 awaiting ack"));
            assertThat(skipping.check()).isEqualTo(JetStreamStatus.QUIET);
            jsm.deleteStream("TASKS"); // a suite that has not made a stream yet has nothing pending in it
            assertThat(skipping.check()).isEqualTo(JetStreamStatus.QUIET);
        }
    }

    @Test
    void aParticipantFoundBusyByTheConfirmationHoldsTimeAndIsReportedAsALeakWithWhatItHolds() throws Exception {
        TimeController controller = controller(TimeController.Settings.of(T0, Set.of("a", "b")).leakAfter(Duration.ofMillis(300)));
        FakeParticipant a = participant("a");
        FakeParticipant b = participant("b");
        a.join();
        b.join();
        a.idle(T0.plusSeconds(60));
        b.idleButBusyAgain(null, "handling tasks.staging.transfer t-1"); // busy between its report and the round

        await().atMost(PATIENCE).until(() -> controller.waitingFor()
                .equals("waiting for b (busy, 1 in flight: handling tasks.staging.transfer t-1)"));
        await().atMost(PATIENCE).until(() -> log.stream().anyMatch(line -> line.startsWith("LEAK? b has held simulated time for ")
                && line.endsWith("b (busy, 1 in flight: handling tasks.staging.transfer t-1)")));
        assertThat(controller.time().epoch()).isZero();

        b.idle(null);
        await().atMost(PATIENCE).until(() -> new SimTime(1, T0.plusSeconds(60), Set.of("a")).equals(b.time()));
    }

    @Test
    void aParticipantThatLeavesIsNotWaitedForAndOneThatRestartsIsWaitedForAgain() throws Exception {
        TimeController controller = controller(TimeController.Settings.of(T0, Set.of("a")));
        FakeParticipant a = participant("a");
        FakeParticipant driver = participant("driver");
        a.join();
        driver.join();
        a.idle(T0.plusSeconds(60));
        await().atMost(PATIENCE).until(() -> controller.waitingFor().equals("waiting for driver (no idle report since it joined)"));

        driver.leave();
        await().atMost(PATIENCE).until(() -> new SimTime(1, T0.plusSeconds(60), Set.of("a")).equals(a.time()));

        // a restarts: its new self joins, and time waits for the new self's report
        a.join();
        await().atMost(PATIENCE).until(() -> controller.waitingFor().equals("waiting for a (no idle report since it joined again)"));
        assertThat(log).anyMatch(line -> line.startsWith("a joined again"));
        a.idle(T0.plusSeconds(120));
        await().atMost(PATIENCE).until(() -> new SimTime(2, T0.plusSeconds(120), Set.of("a")).equals(a.time()));
    }

    @Test
    void theRunCommandEndsWithExitCodeZeroWhenTheNextWakeIsPastUntil() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("ORRERY_NATS_URL", server.url(), "ORRERY_NATS_PASSWORD", server.password(NatsUsers.ADMIN));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> OrrerySim.run(env, new PrintWriter(out, true),
                new PrintWriter(err, true), "run", "--start", T0.toString(), "--expect", "a", "--until", T0.plusSeconds(7200).toString(),
                "--progress", "PT0S"), THREADS);
        FakeParticipant a = participant("a");
        await().atMost(PATIENCE).until(() -> a.join() != null);
        a.idle(T0.plusSeconds(3600));
        await().atMost(PATIENCE).until(() -> new SimTime(1, T0.plusSeconds(3600), Set.of("a")).equals(a.time()));

        a.idle(T0.plusSeconds(3 * 3600));

        assertThat(run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
        assertThat(err.toString()).contains("simulated time starts at 2026-03-01T00:00:00Z, runs until 2026-03-01T02:00:00Z; waiting for a")
                .contains("a joined at 2026-03-01T00:00:00Z (epoch 0)")
                .contains("finished at 2026-03-01T01:00:00Z (epoch 1, 1 advances in ")
                .contains("the next wake, 2026-03-01T03:00:00Z, is past 2026-03-01T02:00:00Z");
    }

    @Test
    void theRunCommandRefusesAWrongPassword() {
        StringWriter err = new StringWriter();
        int code = OrrerySim.run(Map.of("ORRERY_NATS_URL", server.url(), "ORRERY_NATS_PASSWORD", "wrong"),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "run", "--start", T0.toString());
        assertThat(code).isEqualTo(ExitCodes.NATS_LOGIN);
        assertThat(err.toString()).contains("refused the login of user admin");
    }

    // --- helpers -----------------------------------------------------------------------------------

    private TimeController controller(TimeController.Settings settings) throws Exception {
        TimeController controller = new TimeController(admin, wall, settings.confirmTimeout(Duration.ofSeconds(1)), log::add);
        controller.start();
        CompletableFuture<Optional<String>> loop = CompletableFuture.supplyAsync(controller::run, THREADS);
        closeAfter.add(() -> {
            controller.close();
            loop.get(5, TimeUnit.SECONDS);
        });
        return controller;
    }

    private FakeParticipant participant(String name) throws Exception {
        FakeParticipant participant = new FakeParticipant(server, name);
        closeAfter.add(participant);
        return participant;
    }
}
