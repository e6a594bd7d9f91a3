package orrery.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import orrery.model.envelope.EnvelopeCodec;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(NatsTestResource.class)
class NatsRequestReplyTest {

    record Question(String text) {
    }

    record Answer(String text, boolean safe) {
    }

    @Inject
    NatsRequestReply requests;

    @Inject
    Connection connection;

    @Inject
    EnvelopeCodec codec;

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void answersOnASafeContext() throws Exception {
        try (AutoCloseable ignored = requests.serve("quote.test.echo", "test", "test.answer", request -> {
            Question question = codec.data(request, Question.class);
            boolean safe = VertxContextSafetyToggle.isExplicitlyMarkedAsSafe(Vertx.currentContext());
            return Uni.createFrom().item(new Answer(question.text().toUpperCase(), safe));
        })) {
            Answer answer = requests.request("quote.test.echo", "test.question", new Question("hello"), "c-1", TIMEOUT,
                    Answer.class).await().atMost(TIMEOUT);

            assertThat(answer).isEqualTo(new Answer("HELLO", true));
        }
    }

    @Test
    void aRefusalArrivesAsAProblem() throws Exception {
        try (AutoCloseable ignored = requests.serve("quote.test.refuse", "test", "test.answer", request -> {
            throw new ProblemException(Problem.of("unknown-image", 400, "Unknown image", "no such image: x"));
        })) {
            assertThatThrownBy(() -> requests.request("quote.test.refuse", "test.question", new Question("x"), null,
                    TIMEOUT, Answer.class).await().atMost(TIMEOUT))
                    .isInstanceOf(ProblemException.class)
                    .satisfies(e -> {
                        Problem problem = ((ProblemException) e).problem();
                        assertThat(problem.slug()).isEqualTo("unknown-image");
                        assertThat(problem.detail()).isEqualTo("no such image: x");
                    });
        }
    }

    @Test
    void anUnreadableRequestGetsA400Problem() throws Exception {
        try (AutoCloseable ignored = requests.serve("quote.test.strict", "test", "test.answer",
                request -> Uni.createFrom().item(new Answer("never", false)))) {
            byte[] reply = connection.request("quote.test.strict", "{\"nonsense\":true}".getBytes(StandardCharsets.UTF_8))
                    .get(5, TimeUnit.SECONDS).getData();

            var envelope = codec.decode(reply);
            assertThat(envelope.type()).isEqualTo("orrery.problem");
            assertThat(envelope.data().path("status").asInt()).isEqualTo(400);
            assertThat(envelope.data().path("detail").asText()).contains("'specversion' is required");
        }
    }

    @Test
    void aQuestionNobodyAnswersFails() {
        assertThatThrownBy(() -> requests.request("quote.test.nobody", "test.question", new Question("?"), null,
                Duration.ofMillis(500), Answer.class).await().atMost(TIMEOUT))
                .isNotNull();
    }
}
