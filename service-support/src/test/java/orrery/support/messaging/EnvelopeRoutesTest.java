package orrery.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import orrery.model.envelope.Envelope;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.envelope.EnvelopeFormatException;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;

class EnvelopeRoutesTest {

    record Greeting(String name) {
    }

    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final List<String> seen = new ArrayList<>();
    private final EnvelopeRoutes routes = EnvelopeRoutes.using(codec)
            .on("greet", Greeting.class, (greeting, envelope) -> record(greeting.name() + "@" + envelope.correlationid()))
            .on("later", Greeting.class, (greeting, envelope) ->
                    Uni.createFrom().item(Disposition.retryLater(Duration.ofSeconds(2), "busy")))
            .ignore("someone-elses");

    @Test
    void routesByTypeAndBindsThePayload() {
        Disposition disposition = routes.handle(envelope("greet", Map.of("name", "ada")), delivery()).await().indefinitely();

        assertThat(seen).containsExactly("ada@exec-1");
        assertThat(disposition.kind()).isEqualTo(Disposition.Kind.DONE);
    }

    @Test
    void aRouteMayAnswerWithItsOwnDisposition() {
        Disposition disposition = routes.handle(envelope("later", Map.of("name", "ada")), delivery()).await().indefinitely();

        assertThat(disposition.kind()).isEqualTo(Disposition.Kind.RETRY);
        assertThat(disposition.delay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void ignoredTypesAreAcknowledgedUnread() {
        Disposition disposition = routes.handle(envelope("someone-elses", Map.of("anything", 1)), delivery()).await().indefinitely();

        assertThat(disposition.kind()).isEqualTo(Disposition.Kind.DONE);
        assertThat(seen).isEmpty();
    }

    @Test
    void anUnroutedTypeIsRefusedNamingTheRoutedOnes() {
        assertThatThrownBy(() -> routes.handle(envelope("shout", Map.of("name", "ada")), delivery()))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("greet or later")
                .hasMessageContaining("'shout'");
    }

    @Test
    void aPayloadThatDoesNotFitItsRecordIsPermanent() {
        assertThatThrownBy(() -> routes.handle(envelope("greet", Map.of("surname", "lovelace")), delivery()))
                .isInstanceOf(EnvelopeFormatException.class);
        assertThat(seen).isEmpty();
    }

    private Uni<Void> record(String what) {
        seen.add(what);
        return Uni.createFrom().voidItem();
    }

    private Envelope envelope(String type, Map<String, Object> data) {
        return new Envelope(Envelope.SPEC_VERSION, "id-1", "test", type, null, Instant.EPOCH, Envelope.JSON, 1, "exec-1",
                codec.tree(data));
    }

    private static Delivery delivery() {
        return new Delivery("TASKS", "tasks.test", "test", 1, 1, Map.of(), new byte[0]);
    }
}
