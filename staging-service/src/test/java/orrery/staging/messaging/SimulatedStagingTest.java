package orrery.staging.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.staging.Checks;
import orrery.model.staging.DirectoryTask;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import orrery.model.staging.StagingQuoteRequest;
import orrery.model.staging.TransferResult;
import orrery.model.staging.TransferTask;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.model.time.ManualTimeSource;
import orrery.staging.service.transfer.TransferEngine;
import orrery.support.messaging.JetStreamPublisher;
import orrery.support.messaging.NatsRequestReply;
import orrery.testsupport.JetStreamProbe;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated backend in the whole service, driven as the broker drives it (real NATS and
 * PostgreSQL, a manual clock): a transfer of N bytes completes exactly N / rate after it starts on
 * the clock, not a millisecond before, with the checks it was given; one the workload marks fails
 * its MD5 check then; a directory task completes at once; quotes answer the same model; nothing is
 * fetched and nothing is written under the storage root.
 */
@QuarkusTest
@TestProfile(SimulatedStagingTest.SimulatedProfile.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class SimulatedStagingTest {

    /** The manual clock replaces the system clock, for this profile only. */
    @Alternative
    public static class ManualClock {

        @Produces
        @Singleton
        ManualTimeSource clock() {
            return new ManualTimeSource(Instant.parse("2030-01-07T09:00:00Z"));
        }
    }

    public static class SimulatedProfile implements QuarkusTestProfile {

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ManualClock.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orrery.staging.backend", "simulated",
                    "orrery.staging.sources.http.allowed-hosts", ".sim.invalid",
                    "orrery.storage.root", STORAGE.toString());
        }
    }

    private static final Path STORAGE = Path.of("target/simulated-storage").toAbsolutePath();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** 150 MB at the default 50 MB/s. */
    private static final long SIZE = 150_000_000L;
    private static final Duration TAKES = Duration.ofSeconds(3);
    private static final String MD5 = "9e107d9d372bb6826bd81d3542a419d6";

    @Inject
    ManualTimeSource clock;
    @Inject
    TransferEngine engine;
    @Inject
    JetStreamPublisher publisher;
    @Inject
    EnvelopeFactory envelopes;
    @Inject
    EnvelopeCodec codec;
    @Inject
    Connection connection;
    @Inject
    NatsRequestReply requests;

    private JetStreamProbe probe;
    private String execution;

    @BeforeEach
    void setUp() {
        probe = new JetStreamProbe(connection);
        execution = "exec-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aTransferCompletesExactlyAfterSizeOverRateOnTheClockAndIsThenQuotedPresent() {
        Instant t0 = clock.now();
        StagingItem item = new StagingItem("obs.fits", "https://data.sim.invalid/obs/" + execution + ".fits",
                new Checks(SIZE, MD5));

        String taskId = send(Subjects.STAGING_TRANSFER, MessageTypes.STAGING_TRANSFER,
                new TransferTask(id(), "alice", execution, item));

        TaskEvent running = awaitProgress(taskId);
        assertThat(running.progress().done()).isZero();
        assertThat(running.progress().total()).isEqualTo(SIZE);
        clock.advanceTo(t0.plus(TAKES).minusMillis(1));
        assertThat(engine.isRunning(taskId)).as("still transferring a millisecond before size / rate").isTrue();

        clock.advanceTo(t0.plus(TAKES));

        Envelope last = probe.awaitLast("EVENTS", Subjects.taskEvents(taskId), e -> toEvent(e).state().isFinal(), PATIENCE);
        TaskEvent done = toEvent(last);
        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(done.progress()).as("the final report carries the last progress: every byte")
                .isEqualTo(new TaskEvent.Progress(SIZE, SIZE, "bytes"));
        assertThat(last.time()).as("reported at the modelled instant").isEqualTo(t0.plus(TAKES));
        TransferResult result = codec.mapper().convertValue(done.result(), TransferResult.class);
        assertThat(result.path()).isEqualTo("home/alice/broker/" + execution + "/obs.fits");
        assertThat(result.size()).isEqualTo(SIZE);
        assertThat(result.md5()).isEqualTo(MD5);
        assertThat(result.sha256()).hasSize(64);
        assertThat(result.transferred()).isTrue();
        assertThat(Files.exists(STORAGE.resolve("home/alice"))).as("nothing written under the storage root").isFalse();

        StagingQuote again = quote(List.of(item));
        assertThat(again.items().get(0).present()).isTrue();
        assertThat(again.items().get(0).cost()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aTransferTheWorkloadMarksFailsItsChecksumWhenItWouldHaveArrived() {
        Instant t0 = clock.now();
        String taskId = send(Subjects.STAGING_TRANSFER, MessageTypes.STAGING_TRANSFER, new TransferTask(id(), "alice",
                execution, new StagingItem("bad.fits", "https://data.sim.invalid/bad.fits?sim-fail=checksum",
                        new Checks(SIZE, MD5))));
        awaitProgress(taskId);

        clock.advanceTo(t0.plus(TAKES));

        TaskEvent failed = toEvent(probe.awaitLast("EVENTS", Subjects.taskEvents(taskId), e -> toEvent(e).state().isFinal(),
                PATIENCE));
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.reason()).startsWith("MD5 mismatch: expected " + MD5);
    }

    @Test
    void aDirectoryTaskCompletesAtOnceAndQuotesAnswerTheModel() {
        Instant t0 = clock.now();
        String taskId = send(Subjects.STAGING_DIRECTORY, MessageTypes.STAGING_DIRECTORY,
                new DirectoryTask(id(), "bob", execution));

        Envelope done = probe.awaitLast("EVENTS", Subjects.taskEvents(taskId), e -> toEvent(e).state().isFinal(), PATIENCE);

        assertThat(toEvent(done).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(done.time()).isEqualTo(t0);
        assertThat(Files.exists(STORAGE.resolve("home/bob"))).isFalse();
        StagingQuote quote = quote(List.of(
                new StagingItem("a.fits", "https://data.sim.invalid/a.fits", new Checks(SIZE, null)),
                new StagingItem("b.fits", "https://unresolvable.sim.invalid/b.fits", Checks.none())));
        assertThat(quote.feasible()).as("no name is looked up").isTrue();
        assertThat(quote.items()).extracting(StagingQuote.ItemQuote::cost)
                .as("150 MB and the default 100 MB at 50 MB/s").containsExactly(TAKES, Duration.ofSeconds(2));
    }

    private StagingQuote quote(List<StagingItem> items) {
        return requests.request(Subjects.QUOTE_STAGING, MessageTypes.STAGING_QUOTE,
                new StagingQuoteRequest("alice", execution, items), execution, Duration.ofSeconds(10), StagingQuote.class)
                .await().atMost(Duration.ofSeconds(15));
    }

    /** The first RUNNING report with progress: the transfer is under way. */
    private TaskEvent awaitProgress(String taskId) {
        return await("task " + taskId + " under way").atMost(PATIENCE).until(() -> probe.all("EVENTS",
                Subjects.taskEvents(taskId)).stream().map(this::toEvent)
                .filter(e -> e.state() == TaskState.RUNNING && e.progress() != null).findFirst().orElse(null), e -> e != null);
    }

    private String send(String subject, String type, Object task) {
        String taskId = task instanceof TransferTask transfer ? transfer.taskId() : ((DirectoryTask) task).taskId();
        publisher.publish(subject, envelopes.create(taskId, type, subject, execution, task)).await()
                .atMost(Duration.ofSeconds(10));
        return taskId;
    }

    private TaskEvent toEvent(Envelope envelope) {
        return codec.data(envelope, TaskEvent.class);
    }

    private static String id() {
        return "eb-" + UUID.randomUUID();
    }
}
