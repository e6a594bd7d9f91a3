package orrery.model.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFactory;
import orrery.model.envelope.EnvelopeFormatException;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.time.LamportClock;
import orrery.model.time.ManualTimeSource;
import org.junit.jupiter.api.Test;

class BuildMessagesTest {

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final EnvelopeFactory factory = new EnvelopeFactory("test",
            new ManualTimeSource(Instant.parse("2024-08-30T09:45:00Z")), new LamportClock(), codec);

    @Test
    void anAnnouncementRoundTripsThroughAnEnvelope() {
        RuleAnnouncement sent = RuleAnnouncement.of("shell",
                List.of(new BuildRule("%.pdf", List.of("%.tex", "%.aux"), "pdflatex %.tex", 10)));

        RuleAnnouncement received = codec.data(roundTrip(MessageTypes.RULES_ANNOUNCE, sent), RuleAnnouncement.class);

        assertThat(received).isEqualTo(sent);
        assertThat(received.subject()).isEqualTo(Subjects.build("shell"));
    }

    @Test
    void aBuildTaskAndItsResultRoundTrip() {
        BuildTask task = new BuildTask("b1-n2-r1", "b1", "papers", "docs/paper.pdf",
                List.of(new BuildInput("docs/paper.tex", "ab".repeat(32)), new BuildInput("docs/paper.aux", null)),
                "pdflatex paper.tex", 1);
        BuildResult result = new BuildResult("papers", "docs/paper.pdf",
                List.of(new BuildOutput("docs/paper.pdf", "cd".repeat(32), 1234)), 0, "done", 42);

        assertThat(codec.data(roundTrip(MessageTypes.BUILD_TASK, task), BuildTask.class)).isEqualTo(task);
        BuildResult back = codec.data(roundTrip(MessageTypes.TASK_EVENT, result), BuildResult.class);
        assertThat(back).isEqualTo(result);
        assertThat(back.targetSha256()).isEqualTo("cd".repeat(32));
    }

    @Test
    void anAnnouncementForAnotherBuildersSubjectIsRefusedNamingTheField() {
        String json = "{\"builder\":\"shell\",\"subject\":\"tasks.build.other\",\"rules\":[]}";
        Envelope envelope = factory.event(MessageTypes.RULES_ANNOUNCE, Subjects.RULES_ANNOUNCE, null,
                codec.mapper().valueToTree(readTree(json)));

        assertThatThrownBy(() -> codec.data(envelope, RuleAnnouncement.class))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("tasks.build.shell");
    }

    @Test
    void aTaskWhosePathLeavesTheRootIsRefused() {
        assertThatThrownBy(() -> new BuildTask("t1", "b1", "papers", "../secret", List.of(), "x", 1))
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> new BuildOutput("a.txt", "NOTHEX", 1)).hasMessageContaining("hex");
        assertThatThrownBy(() -> new HowToRequest("papers", "/abs/path")).hasMessageContaining("relative");
    }

    private Envelope roundTrip(String type, Object data) {
        return codec.decode(codec.encode(factory.event(type, "x", null, data)));
    }

    private Object readTree(String json) {
        try {
            return codec.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
