package orrery.cli;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import orrery.model.messaging.Streams;
import orrery.model.messaging.Subjects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code orrery dlq list|replay}: the dead-letter stream, for operators. Messages land there when a
 * handler refused them or a dependency stayed away longer than their deliveries lasted; once the
 * cause is mended, {@code replay} publishes them again on the subject they first came on (every
 * Orrery handler takes a message twice without harm) and removes them from the stream. Talks to
 * NATS directly, as the {@code admin} user: only it may read the DLQ.
 */
@Command(name = "dlq", description = "List or replay the dead-letter stream (NATS user admin).",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ReplayCommand.class})
final class DlqCommand {

    private static final String STREAM = Streams.DLQ.name();
    private static final int NO_MESSAGE = 10037;

    @ParentCommand
    Orrery parent;

    @Option(names = "--nats-url", description = "NATS (default: $ORRERY_NATS_URL or nats://127.0.0.1:4222)")
    String natsUrl;

    @Option(names = "--nats-user", description = "NATS user (default: $ORRERY_NATS_USERNAME or admin); "
            + "the password comes from $ORRERY_NATS_PASSWORD, never the command line")
    String natsUser;

    /** One dead letter, as the stream holds it. */
    record DeadLetter(long sequence, String subject, String original, String reason, byte[] body) {
    }

    /** Visits every dead letter whose original subject starts with {@code prefix}; the visitor says whether to go on. */
    int each(String prefix, DeadLetterVisitor visitor) {
        try (Connection nats = connect()) {
            JetStreamManagement jsm = nats.jetStreamManagement();
            StreamInfo info = jsm.getStreamInfo(STREAM);
            int seen = 0;
            for (long seq = info.getStreamState().getFirstSequence(); seq <= info.getStreamState().getLastSequence(); seq++) {
                DeadLetter letter = read(jsm, seq);
                if (letter != null && letter.original().startsWith(prefix)) {
                    seen++;
                    visitor.visit(nats, letter);
                }
            }
            return seen;
        } catch (IOException | JetStreamApiException e) {
            throw new ApiException(503, "NATS: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
    }

    /** What to do with one dead letter. */
    @FunctionalInterface
    interface DeadLetterVisitor {
        void visit(Connection nats, DeadLetter letter) throws IOException, JetStreamApiException;
    }

    private static DeadLetter read(JetStreamManagement jsm, long seq) throws IOException, JetStreamApiException {
        MessageInfo message;
        try {
            message = jsm.getMessage(STREAM, seq);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE) {
                return null; // removed (replayed, or aged out)
            }
            throw e;
        }
        Headers headers = message.getHeaders();
        String original = headers == null ? null : headers.getFirst(orrery.model.messaging.Headers.DLQ_SUBJECT);
        if (original == null || original.isBlank() || original.equals("null")) {
            original = message.getSubject().startsWith(Subjects.DLQ + ".") ? message.getSubject().substring(Subjects.DLQ.length() + 1) : message.getSubject();
        }
        String reason = headers == null ? null : headers.getFirst(orrery.model.messaging.Headers.DLQ_REASON);
        return new DeadLetter(seq, message.getSubject(), original, reason == null ? "" : reason,
                message.getData() == null ? new byte[0] : message.getData());
    }

    private Connection connect() throws IOException, InterruptedException {
        Map<String, String> env = parent.environment();
        String url = natsUrl != null ? natsUrl : env.getOrDefault("ORRERY_NATS_URL", "nats://127.0.0.1:4222");
        String user = natsUser != null ? natsUser : env.getOrDefault("ORRERY_NATS_USERNAME", "admin");
        Options.Builder options = new Options.Builder().servers(url.split(",")).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(0);
        String password = env.get("ORRERY_NATS_PASSWORD");
        if (password != null && !password.isBlank()) {
            options.userInfo(user, password.strip());
        }
        try {
            return Nats.connect(options.build());
        } catch (IOException e) {
            boolean login = String.valueOf(e.getMessage()).contains("Authorization");
            throw new ApiException(login ? 401 : 503, (login ? "NATS refused the login of user " + user
                    + " (set ORRERY_NATS_PASSWORD)" : "cannot reach NATS at " + url) + ": " + e.getMessage());
        }
    }

    /** {@code --subject}, which both subcommands take. */
    static final class SubjectFilter {
        @Option(names = "--subject", defaultValue = "", description = "Only those first sent on a subject starting with this")
        String prefix;
    }

    /** {@code orrery dlq list}. */
    @Command(name = "list", description = "One line per dead letter: sequence, original subject, reason.")
    static final class ListCommand implements Callable<Integer> {

        @ParentCommand
        DlqCommand dlq;

        @Spec
        CommandSpec spec;

        @Mixin
        SubjectFilter filter;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int count = dlq.each(filter.prefix, (nats, letter) ->
                    out.printf("%d  %s  %s%n", letter.sequence(), letter.original(), letter.reason()));
            out.printf("%d dead letter(s)%n", count);
            return ExitCodes.OK;
        }
    }

    /** {@code orrery dlq replay}. */
    @Command(name = "replay", description = "Publish dead letters again on their original subject and remove them "
            + "from the DLQ. Mend the cause first: a letter that fails again comes back to the DLQ.")
    static final class ReplayCommand implements Callable<Integer> {

        @ParentCommand
        DlqCommand dlq;

        @Spec
        CommandSpec spec;

        @Mixin
        SubjectFilter filter;

        @Option(names = "--dry-run", description = "Say what would be replayed, change nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int count = dlq.each(filter.prefix, (nats, letter) -> {
                if (!dryRun) {
                    // A fresh message id: the first one is still in the stream's duplicate window perhaps.
                    nats.jetStream().publish(letter.original(), null, letter.body(),
                            PublishOptions.builder().messageId("replay-dlq-" + letter.sequence()).build());
                    nats.jetStreamManagement().deleteMessage(STREAM, letter.sequence());
                }
                out.printf("%s %d  %s%n", dryRun ? "would replay" : "replayed", letter.sequence(), letter.original());
            });
            out.printf("%d dead letter(s) %s%n", count, dryRun ? "to replay" : "replayed");
            return ExitCodes.OK;
        }
    }
}
