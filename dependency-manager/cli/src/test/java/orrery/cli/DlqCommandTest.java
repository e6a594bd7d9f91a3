package orrery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import orrery.model.messaging.NatsUsers;
import orrery.testsupport.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code orrery dlq} against a real nats-server with Orrery's users: list, dry run, replay, and a wrong login. */
class DlqCommandTest {

    private static NatsServer nats;
    private static Connection admin;

    @BeforeAll
    static void start() throws Exception {
        nats = NatsServer.startWithOrreryUsers();
        admin = Nats.connect(nats.options(NatsUsers.ADMIN).build());
        JetStreamManagement jsm = admin.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("EVENTS").subjects("events.>").storageType(StorageType.File).build());
        jsm.addStream(StreamConfiguration.builder().name("DLQ").subjects("dlq.>").storageType(StorageType.File).build());
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        nats.close();
    }

    @Test
    void listsDryRunsAndReplaysDeadLettersOnTheirOriginalSubject() throws Exception {
        deadLetter("events.session.s1", "{\"n\":1}", "gave up after 8 deliveries: no execution knows session s1 yet");
        deadLetter("events.task.t1", "{\"n\":2}", "rejected: no such pool");

        Result list = orrery("dlq", "list");
        assertThat(list.code()).isEqualTo(ExitCodes.OK);
        assertThat(list.out()).contains("events.session.s1  gave up after 8 deliveries").contains("events.task.t1")
                .contains("2 dead letter(s)");

        Result dry = orrery("dlq", "replay", "--subject", "events.session.", "--dry-run");
        assertThat(dry.out()).contains("would replay").contains("1 dead letter(s) to replay");
        assertThat(orrery("dlq", "list").out()).contains("2 dead letter(s)");

        Result replay = orrery("dlq", "replay", "--subject", "events.session.");
        assertThat(replay.code()).isEqualTo(ExitCodes.OK);
        assertThat(replay.out()).contains("1 dead letter(s) replayed");
        var again = admin.jetStreamManagement().getLastMessage("EVENTS", "events.session.s1");
        assertThat(new String(again.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        assertThat(orrery("dlq", "list").out()).contains("1 dead letter(s)").doesNotContain("events.session.s1");
    }

    @Test
    void aWrongPasswordIsRefusedWithTheExitCodeForLogins() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Orrery.run(Map.of("ORRERY_NATS_URL", nats.url(), "ORRERY_NATS_PASSWORD", "wrong"),
                new PrintWriter(out, true), new PrintWriter(err, true), "dlq", "list");
        assertThat(code).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(err.toString()).contains("NATS refused the login of user admin");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result orrery(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Orrery.run(Map.of("ORRERY_NATS_URL", nats.url(), "ORRERY_NATS_PASSWORD", nats.password(NatsUsers.ADMIN)),
                new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static void deadLetter(String original, String body, String reason) throws Exception {
        Headers headers = new Headers();
        headers.add(orrery.model.messaging.Headers.DLQ_SUBJECT, original);
        headers.add(orrery.model.messaging.Headers.DLQ_REASON, reason);
        admin.jetStream().publish("dlq." + original, headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
