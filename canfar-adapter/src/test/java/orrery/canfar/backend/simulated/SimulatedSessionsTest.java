package orrery.canfar.backend.simulated;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import orrery.canfar.AdapterTest;
import orrery.canfar.EventLog;
import orrery.canfar.TaskSender;
import orrery.canfar.domain.SimulatedSession;
import orrery.model.canfar.CanfarQuote;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.DeleteResult;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.model.time.ManualTimeSource;
import orrery.support.messaging.NatsRequestReply;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * The simulated backend in the whole adapter (real NATS and PostgreSQL, a manual clock): sessions go
 * Pending → Running → Succeeded/Failed exactly at the modelled instants of the clock, and not before
 * (the watcher's only timer is at the next modelled change); the launch's ORRERY_SIM_* variables
 * override the model; a notebook runs until deleted; quotes answer the modelled start-up; the logs
 * tell what happened. No process is started and no session folder is needed.
 */
@QuarkusTest
@TestProfile(SimulatedSessionsTest.SimulatedProfile.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class SimulatedSessionsTest extends AdapterTest {

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
            // The watcher's safety-net sweep lies beyond every modelled change here, so each timer is one of them;
            // the look besides the modelled changes is hourly (POLL), not the default daily, to see it happen.
            return Map.of("orrery.canfar.backend", "simulated", "orrery.canfar.watch.idle", "PT12H",
                    "orrery.canfar.simulated.poll", POLL.toString());
        }
    }

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration RUNTIME = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofHours(1);

    @Inject
    ManualTimeSource clock;
    @Inject
    NatsRequestReply requests;

    @Test
    void headlessSessionsStartRunAndExitAtTheModelledInstantsOfTheClock() {
        Instant t0 = clock.now();
        LaunchTask plain = launch("alice", SessionKind.headless, Map.of());
        LaunchTask custom = launch("alice", SessionKind.headless, Map.of(SimulatedSession.STARTUP, "PT1M",
                SimulatedSession.RUNTIME, "PT2H", SimulatedSession.EXIT, "3"));
        tasks.launch(plain);
        tasks.launch(custom);
        String a = sessionOf(plain);
        String b = sessionOf(custom);
        events.awaitSession(a, SessionStatus.Pending);
        events.awaitSession(b, SessionStatus.Pending);

        step(t0.plus(STARTUP));

        assertThat(events.awaitSession(a, SessionStatus.Running).startTime()).isEqualTo(t0.plus(STARTUP));
        awaitNextTimerAt(t0.plus(Duration.ofMinutes(1)));
        assertThat(events.statuses(b)).as("b starts after its own start-up").containsExactly(SessionStatus.Pending);

        step(t0.plus(Duration.ofMinutes(1)));

        assertThat(events.awaitSession(b, SessionStatus.Running).startTime()).isEqualTo(t0.plus(Duration.ofMinutes(1)));

        step(t0.plus(STARTUP).plus(RUNTIME));

        SessionEvent succeeded = events.awaitSession(a, SessionStatus.Succeeded);
        assertThat(succeeded.exitStatus()).isZero();
        assertThat(events.statuses(a)).containsExactly(SessionStatus.Pending, SessionStatus.Running, SessionStatus.Succeeded);

        // b is looked at once on the poll interval, then at its modelled end.
        step(t0.plus(Duration.ofMinutes(1)).plus(POLL));
        step(t0.plus(Duration.ofMinutes(121)));

        SessionEvent failed = events.awaitSession(b, SessionStatus.Failed);
        assertThat(failed.exitStatus()).isEqualTo(3);
        assertThat(events.statuses(b)).containsExactly(SessionStatus.Pending, SessionStatus.Running, SessionStatus.Failed);
    }

    @Test
    void aNotebookRunsUntilDeletedQuotesAnswerTheModelAndTheLogsTellWhatHappened() {
        CanfarQuote quote = requests.request(Subjects.QUOTE_CANFAR, MessageTypes.CANFAR_QUOTE,
                new CanfarQuoteRequest(TaskSender.IMAGE, SessionKind.notebook, 64, 512), null, Duration.ofSeconds(10),
                CanfarQuote.class).await().atMost(Duration.ofSeconds(10));
        assertThat(quote).isEqualTo(new CanfarQuote(STARTUP, true, null));

        Instant t0 = clock.now();
        LaunchTask notebook = launch("carol", SessionKind.notebook, Map.of());
        tasks.launch(notebook);
        String id = sessionOf(notebook);

        step(t0.plus(STARTUP));

        SessionEvent running = events.awaitSession(id, SessionStatus.Running);
        assertThat(running.connectUrl()).isEqualTo(SimulatedBackend.CONNECT_BASE + id);
        awaitNextTimerAt(t0.plus(STARTUP).plus(POLL));

        DeleteTask delete = tasks.delete(id);

        TaskEvent deleted = events.awaitFinal(delete.taskId());
        assertThat(deleted.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(codec.mapper().convertValue(deleted.result(), DeleteResult.class))
                .isEqualTo(new DeleteResult(id, SessionStatus.Terminated, SimulatedSession.DELETED_EXIT));
        assertThat(events.statuses(id)).containsExactly(SessionStatus.Pending, SessionStatus.Running,
                SessionStatus.Terminating, SessionStatus.Terminated);
        given().auth().oauth2(JwtTestResource.token("carol")).get("/api/v1/sessions/" + id + "/logs").then()
                .statusCode(200)
                .body(allOf(containsString("simulated notebook session"), containsString(t0.plus(STARTUP) + " started"),
                        containsString(t0.plus(STARTUP) + " ended by its delete")));
    }

    @Test
    void aBadOverrideFailsTheLaunchNamingTheVariable() {
        LaunchTask task = launch("alice", SessionKind.headless, Map.of(SimulatedSession.RUNTIME, "two hours"));

        tasks.launch(task);

        TaskEvent failed = events.awaitFinal(task.taskId());
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.reason()).contains(SimulatedSession.RUNTIME, "two hours");
    }

    /** A launch into a folder nobody made: the simulated backend touches no storage. */
    private static LaunchTask launch(String user, SessionKind kind, Map<String, String> env) {
        String executionId = TaskSender.id("exec");
        return new LaunchTask(TaskSender.id("launch"), executionId, user, "simulated", TaskSender.IMAGE, kind, 2, 4,
                kind == SessionKind.headless ? "python" : null, List.of(), env, "home/" + user + "/broker/" + executionId);
    }

    /** Waits until the watcher's next timer is due at {@code at} (and nothing earlier is), then moves the clock there. */
    private void step(Instant at) {
        awaitNextTimerAt(at);
        clock.advanceTo(at);
    }

    private void awaitNextTimerAt(Instant at) {
        await("the next timer due at " + at).atMost(EventLog.PATIENCE).until(() -> at.equals(clock.nextDue()));
    }
}
