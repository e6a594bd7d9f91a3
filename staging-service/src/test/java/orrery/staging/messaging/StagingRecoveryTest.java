package orrery.staging.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.staging.Checks;
import orrery.model.staging.StagingItem;
import orrery.model.staging.StagingQuote;
import orrery.model.staging.StagingQuoteRequest;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.model.time.TimeSource;
import orrery.staging.StagingTestResource;
import orrery.support.messaging.NatsRequestReply;
import orrery.testsupport.FileServer;
import orrery.testsupport.JetStreamProbe;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** What happens when an instance dies mid-transfer, and the quote over NATS. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(StagingTestResource.class)
@WithTestResource(JwtTestResource.class)
class StagingRecoveryTest {

    @Inject
    Pool pool;

    @Inject
    Connection connection;

    @Inject
    EnvelopeCodec codec;

    @Inject
    TimeSource time;

    @Inject
    NatsRequestReply requests;

    private final FileServer server = StagingTestResource.server();

    @Test
    void aTaskWhoseInstanceDiedIsResumedFromItsPartialFile() throws Exception {
        byte[] data = new byte[500_000];
        new Random(7).nextBytes(data);
        Files.write(server.root().resolve("recover.dat"), data);
        String taskId = "t-" + UUID.randomUUID();
        String execution = "exec-" + UUID.randomUUID().toString().substring(0, 8);
        String target = "home/alice/broker/" + execution + "/recover.dat";
        // What a dead instance left: a partial file beside the target and a RUNNING row whose lease ran out.
        Path folder = Files.createDirectories(StagingTestResource.storage().resolve(target).getParent());
        Files.write(folder.resolve(".recover.dat." + taskId + ".part"), Arrays.copyOf(data, 200_000));
        OffsetDateTime past = OffsetDateTime.ofInstant(time.now().minusSeconds(60), ZoneOffset.UTC);
        pool.preparedQuery("INSERT INTO staging_task (task_id, kind, user_name, execution_id, item_name, item_url, "
                        + "expected_size, target_path, state, sequence, bytes_done, owner, lease_until, created_at, updated_at) "
                        + "VALUES ($1, 'transfer', 'alice', $2, 'recover.dat', $3, $4, $5, 'RUNNING', 3, 200000, "
                        + "'staging-dead', $6, $6, $6)")
                .execute(Tuple.tuple(List.of(taskId, execution, server.url("/files/recover.dat"), (long) data.length, target,
                        past)))
                .await().atMost(Duration.ofSeconds(10));

        TaskEvent done = codec.data(new JetStreamProbe(connection).awaitLast("EVENTS", Subjects.taskEvents(taskId),
                e -> codec.data(e, TaskEvent.class).state().isFinal(), Duration.ofSeconds(60)), TaskEvent.class);

        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(done.sequence()).isGreaterThan(3);
        assertThat(server.ranges("/files/recover.dat")).containsExactly("bytes=200000-");
        assertThat(Files.readAllBytes(StagingTestResource.storage().resolve(target))).isEqualTo(data);
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("recover.dat");
        }
    }

    @Test
    void quotesOverNats() {
        StagingQuoteRequest request = new StagingQuoteRequest("alice", "exec-q", List.of(
                new StagingItem("nb.ipynb", server.url("/files/nb.ipynb"), new Checks(null, null)),
                new StagingItem("../x", server.url("/files/x"), new Checks(null, null))));

        StagingQuote quote = requests.request(Subjects.QUOTE_STAGING, MessageTypes.STAGING_QUOTE, request, "exec-q",
                Duration.ofSeconds(10), StagingQuote.class).await().atMost(Duration.ofSeconds(15));

        assertThat(quote.feasible()).isFalse();
        assertThat(quote.items().get(0).cost()).isEqualTo(Duration.ofHours(1));
        assertThat(quote.items().get(1).error()).contains("contains '..'");
    }

    @Test
    void quotesOverNatsApplyTheSharedUserRuleAndAddressPolicy() {
        StagingQuoteRequest request = new StagingQuoteRequest("alice@example.org", "exec-q", List.of(
                new StagingItem("nb.ipynb", server.url("/files/nb.ipynb"), Checks.none()),
                new StagingItem("creds", "http://169.254.169.254/latest/meta-data/", Checks.none())));

        StagingQuote quote = requests.request(Subjects.QUOTE_STAGING, MessageTypes.STAGING_QUOTE, request, "exec-q",
                Duration.ofSeconds(10), StagingQuote.class).await().atMost(Duration.ofSeconds(15));

        assertThat(quote.items().get(0).error()).isNull();
        assertThat(quote.items().get(1).error()).contains("metadata");
        assertThat(quote.feasible()).isFalse();
    }
}
