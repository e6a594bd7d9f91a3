package orrery.deps.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.MessageInfo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.fs.FsEvent;
import orrery.model.messaging.Headers;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.support.messaging.JetStreamPublisher;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: messages on this service's subjects that cannot be used go to the dead-letter subject
 * with the reason, and the consumer goes on with the next message. Same test resources as
 * {@link BuildFlowTest}, so the application is shared.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ShellProject.class)
@WithTestResource(JwtTestResource.class)
class PoisonMessageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SHA = "a".repeat(64);

    @Inject
    JetStreamPublisher publisher;
    @Inject
    EnvelopeFactory envelopes;
    @Inject
    EnvelopeCodec codec;
    @Inject
    Connection connection;

    @Test
    void fileEventsThatCannotBeUsedAreDeadLetteredAndTheConsumerGoesOn() throws Exception {
        String[][] cases = {
                // subject root, event root, path, sha256, expected reason
                {"elsewhere", "proj", "p1.src", SHA, "came on the subject of root 'elsewhere'"},
                {"proj", "proj", "/etc/passwd", SHA, "must be relative"},
                {"proj", "proj", "a/../../../etc/passwd", SHA, "'..'"},
                {"proj", "proj", "p2\n.src", SHA, "control character"},
                {"proj", "proj", "p3\u001b[31m.src", SHA, "control character"},
                {"proj", "proj", "p4/" + "x".repeat(5000), SHA, "longer than 1024"},
                {"proj", "proj", "p5.src", "not-a-hash", "is not a SHA-256"},
                {"proj", "proj", "p6.src", "A".repeat(64), "is not a SHA-256"},
        };
        for (String[] poison : cases) {
            String marker = UUID.randomUUID().toString();
            Map<String, Object> data = fileEvent(poison[1], poison[2], poison[3]);
            data.put("previousSha256", null);
            String subject = Subjects.fsEvents(poison[0]);
            publish(subject, MessageTypes.FS_EVENT, data, marker);
            assertThat(reason(awaitDeadLetter(Subjects.deadLetter(subject), marker))).as(poison[2]).contains(poison[4]);
        }
        // An event without data, of an unknown kind, or of another type.
        String marker = UUID.randomUUID().toString();
        publish("events.fs.proj", MessageTypes.FS_EVENT, null, marker);
        assertThat(reason(awaitDeadLetter("dlq.events.fs.proj", marker))).contains("has no data");
        marker = UUID.randomUUID().toString();
        Map<String, Object> exploded = fileEvent("proj", "p7.src", SHA);
        exploded.put("kind", "EXPLODED");
        publish("events.fs.proj", MessageTypes.FS_EVENT, exploded, marker);
        assertThat(reason(awaitDeadLetter("dlq.events.fs.proj", marker))).contains("kind");
        marker = UUID.randomUUID().toString();
        publish("events.fs.proj", MessageTypes.BUILD_TASK, fileEvent("proj", "p8.src", SHA), marker);
        assertThat(reason(awaitDeadLetter("dlq.events.fs.proj", marker)))
                .contains("carries " + MessageTypes.FS_EVENT + ", not '" + MessageTypes.BUILD_TASK + "'");

        // The consumer is not wedged: a good event after them all is built from.
        Path file = ShellProject.root().resolve("after-poison.src");
        Files.writeString(file, "still here\n");
        publisher.publish(Subjects.fsEvents(ShellProject.ROOT), envelopes.event(MessageTypes.FS_EVENT,
                Subjects.fsEvents(ShellProject.ROOT), null, FsEvent.created(ShellProject.ROOT, "after-poison.src",
                        Files.size(file), Files.getLastModifiedTime(file).toInstant(), BuildFlowTest.sha256(file))))
                .await().atMost(Duration.ofSeconds(10));
        Awaits.settled("proj/after-poison.words", "UP_TO_DATE", json -> true, PATIENCE, () -> { });
        assertThat(Files.readString(ShellProject.root().resolve("after-poison.words"))).isEqualTo("still\nhere\n");
    }

    @Test
    void buildTasksThatCannotBeUsedAreDeadLetteredAndTheBuilderGoesOn() throws Exception {
        String subject = Subjects.build("shell");
        List<Map<String, Object>> tasks = new ArrayList<>();
        tasks.add(task(null, List.of()));                            // a build task with a null target
        tasks.add(task("../../outside.txt", List.of()));             // outside the root
        tasks.add(task("/etc/cron.d/x", List.of()));                 // absolute
        List<Object> nullInput = new ArrayList<>();
        nullInput.add(null);
        tasks.add(task("t.words", nullInput));                       // a null input
        tasks.add(task("t.words", List.of(Map.of("path", "../../etc/passwd"))));
        String[] expected = {"'data.path' is required", "'..'", "must be relative", "inputs", "'..'"};
        for (int i = 0; i < tasks.size(); i++) {
            String taskId = "poison-" + UUID.randomUUID();
            tasks.get(i).put("taskId", taskId);
            Envelope envelope = envelopes.create(taskId, MessageTypes.BUILD_TASK, subject, null, tasks.get(i));
            publisher.publish(subject, envelope).await().atMost(Duration.ofSeconds(10));
            MessageInfo letter = awaitDeadLetter(Subjects.deadLetter(subject), taskId);
            assertThat(reason(letter)).as(String.valueOf(tasks.get(i).get("path"))).contains(expected[i]);
        }
        assertThat(ShellProject.root().getParent().resolve("outside.txt")).doesNotExist();

        // The builder still builds.
        Path file = ShellProject.root().resolve("after-poison-task.src");
        Files.writeString(file, "built anyway\n");
        publisher.publish(Subjects.fsEvents(ShellProject.ROOT), envelopes.event(MessageTypes.FS_EVENT,
                Subjects.fsEvents(ShellProject.ROOT), null, FsEvent.created(ShellProject.ROOT, "after-poison-task.src",
                        Files.size(file), Files.getLastModifiedTime(file).toInstant(), BuildFlowTest.sha256(file))))
                .await().atMost(Duration.ofSeconds(10));
        Awaits.settled("proj/after-poison-task.words", "UP_TO_DATE", json -> true, PATIENCE, () -> { });
    }

    @Test
    void ruleAnnouncementsThatAreTooBigOrBrokenAreDeadLetteredWithTheReason() throws Exception {
        List<Map<String, Object>> many = IntStream.range(0, 1001)
                .mapToObj(i -> rule("%.x" + i, List.of("%.src"), "make x" + i)).toList();
        assertThat(announce(many)).contains("at most 1000 rules are accepted");

        List<String> inputs = IntStream.range(0, 65).mapToObj(i -> "%.in" + i).toList();
        assertThat(announce(List.of(rule("%.wide", inputs, "wide")))).contains("at most 64 inputs");
        assertThat(announce(List.of(rule("%.long", List.of("%.src"), "r".repeat(5000))))).contains("at most 4096 characters");
        assertThat(announce(List.of(rule("%.ctl\u0007", List.of("%.src"), "bell")))).contains("printable");
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        assertThat(announce(withNull)).contains("unreadable message");
        assertThat(announce(List.of(rule("../%.up", List.of("%.src"), "up")))).contains("unreadable message");

        // None of them was learnt: nothing builds the targets they named.
        Api.as("alice").contentType("application/json").body("{\"target\":\"proj/t.x7\"}").post("/api/v1/builds")
                .then().statusCode(404);
    }

    /** Announces {@code rules} as builder {@code poisoner}; returns the dead letter's reason. */
    private String announce(List<?> rules) throws Exception {
        String marker = UUID.randomUUID().toString();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("builder", "poisoner");
        data.put("subject", Subjects.build("poisoner"));
        data.put("rules", rules);
        Envelope envelope = envelopes.create(marker, MessageTypes.RULES_ANNOUNCE, Subjects.RULES_ANNOUNCE, null, data);
        connection.publish(Subjects.RULES_ANNOUNCE, codec.encode(envelope));
        return reason(awaitDeadLetter(Subjects.deadLetter(Subjects.RULES_ANNOUNCE), marker));
    }

    private static Map<String, Object> rule(String pattern, List<String> inputs, String recipe) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("pattern", pattern);
        rule.put("inputs", inputs);
        rule.put("recipe", recipe);
        rule.put("priority", 0);
        return rule;
    }

    private static Map<String, Object> fileEvent(String root, String path, String sha256) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("root", root);
        data.put("path", path);
        data.put("kind", "CREATED");
        data.put("size", 1);
        data.put("mtime", Instant.EPOCH.toString());
        data.put("sha256", sha256);
        return data;
    }

    private static Map<String, Object> task(String path, List<?> inputs) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("buildId", "b-poison");
        task.put("root", ShellProject.ROOT);
        task.put("path", path);
        task.put("inputs", inputs);
        task.put("recipe", "bash words.sh $< $@");
        task.put("round", 1);
        return task;
    }

    /** Publishes an envelope whose id is {@code marker}, so its dead letter can be told from others. */
    private void publish(String subject, String type, Object data, String marker) {
        Envelope envelope = envelopes.create(marker, type, subject, null, data);
        publisher.publish(subject, envelope).await().atMost(Duration.ofSeconds(10));
    }

    private static String reason(MessageInfo letter) {
        return letter.getHeaders().getFirst(Headers.DLQ_REASON);
    }

    private MessageInfo awaitDeadLetter(String subject, String marker) throws Exception {
        var jsm = connection.jetStreamManagement();
        return await(subject + " " + marker).atMost(PATIENCE).ignoreException(JetStreamApiException.class)
                .until(() -> jsm.getLastMessage("DLQ", subject),
                        m -> m != null && new String(m.getData(), StandardCharsets.UTF_8).contains(marker));
    }
}
