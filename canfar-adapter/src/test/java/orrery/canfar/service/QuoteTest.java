package orrery.canfar.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import orrery.canfar.AdapterTest;
import orrery.canfar.TaskSender;
import orrery.model.canfar.CanfarQuote;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.problem.ProblemException;
import orrery.support.messaging.NatsRequestReply;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** quote.canfar over real NATS: the default before any start-up was seen, the moving average after, and feasibility. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class QuoteTest extends AdapterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    NatsRequestReply requests;
    @Inject
    Pool database;
    @ConfigProperty(name = "orrery.canfar.local.default-startup")
    Duration defaultStartup;

    @Test
    void anImageNeverStartedIsQuotedTheDefaultAndFeasible() {
        CanfarQuote quote = ask(new CanfarQuoteRequest("test.registry/orrery/never-started:1", SessionKind.headless, 1, 1));

        assertThat(quote).isEqualTo(new CanfarQuote(defaultStartup, true, null));
    }

    @Test
    void anImageThatStartedIsQuotedTheMovingAverageOfItsStartUps() {
        String image = "test.registry/orrery/quoted:" + TaskSender.id("v");
        for (int i = 0; i < 2; i++) {
            LaunchTask plain = tasks.headless("dave", "true", List.of(), Map.of());
            LaunchTask task = new LaunchTask(plain.taskId(), plain.executionId(), "dave", "quoted", image,
                    SessionKind.headless, 1, 1, "true", List.of(), Map.of(), plain.workdir());
            tasks.launch(task);
            events.awaitSession(sessionOf(task), SessionStatus.Succeeded);
        }
        long meanMillis = database.preparedQuery("SELECT mean_ms, samples FROM canfar_startup_estimate WHERE image = $1")
                .execute(Tuple.of(image)).await().atMost(TIMEOUT).iterator().next().getLong("mean_ms");

        CanfarQuote quote = ask(new CanfarQuoteRequest(image, SessionKind.headless, 1, 1));

        assertThat(quote.startup()).isEqualTo(Duration.ofMillis(meanMillis));
        assertThat(quote.feasible()).isTrue();
    }

    @Test
    void sizesThisMachineCannotTakeAndImagesOffTheAllowListAreNotFeasible() {
        CanfarQuote tooBig = ask(new CanfarQuoteRequest(TaskSender.IMAGE, SessionKind.headless, 200, 1));
        CanfarQuote notAllowed = ask(new CanfarQuoteRequest("docker.io/library/python:3", SessionKind.headless, 1, 1));

        assertThat(tooBig.feasible()).isFalse();
        assertThat(tooBig.reason()).contains("processors");
        assertThat(notAllowed.feasible()).isFalse();
        assertThat(notAllowed.reason()).contains("allow-list");
    }

    @Test
    void aNonsenseSizeIsAProblem() {
        assertThatThrownBy(() -> ask(new CanfarQuoteRequest(TaskSender.IMAGE, SessionKind.headless, 0, 1)))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(400))
                .hasMessageContaining("cores");
    }

    private CanfarQuote ask(CanfarQuoteRequest request) {
        return requests.request(Subjects.QUOTE_CANFAR, MessageTypes.CANFAR_QUOTE, request, null, TIMEOUT,
                CanfarQuote.class).await().atMost(TIMEOUT);
    }
}
