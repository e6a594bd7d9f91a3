package orrery.canfar.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;

/** The simulated backend's model: the plan a launch makes, what it shows over time, its id and its log. */
class SimulatedSessionTest {

    private static final Instant T0 = Instant.parse("2030-01-07T09:00:00Z");
    private static final SimulatedSession.Model MODEL =
            new SimulatedSession.Model(Duration.ofSeconds(30), Duration.ofMinutes(10), 0);
    private static final String URL = "https://notebook.sim.invalid/session/s1";

    @Test
    void aHeadlessSessionIsPendingForTheStartUpRunsForTheRuntimeAndExitsWithTheStatus() {
        SimulatedSession plan = SimulatedSession.plan(MODEL, SessionKind.headless, Map.of(), T0);
        Instant start = T0.plusSeconds(30);
        Instant end = start.plus(Duration.ofMinutes(10));

        Observation pending = plan.observe(start.minusMillis(1), null, URL);
        Observation running = plan.observe(start, null, URL);
        Observation stillRunning = plan.observe(end.minusMillis(1), null, URL);
        Observation ended = plan.observe(end, null, URL);

        assertThat(pending.status()).isEqualTo(SessionStatus.Pending);
        assertThat(pending.nextChange()).isEqualTo(start);
        assertThat(running.status()).isEqualTo(SessionStatus.Running);
        assertThat(running.startTime()).isEqualTo(start);
        assertThat(running.connectUrl()).as("only notebooks are reached at a URL").isNull();
        assertThat(running.nextChange()).isEqualTo(end);
        assertThat(stillRunning.status()).isEqualTo(SessionStatus.Running);
        assertThat(ended.status()).isEqualTo(SessionStatus.Succeeded);
        assertThat(ended.exitStatus()).isZero();
        assertThat(ended.startTime()).isEqualTo(start);
        assertThat(ended.nextChange()).isNull();
    }

    @Test
    void theLaunchsVariablesOverrideTheModel() {
        SimulatedSession plan = SimulatedSession.plan(MODEL, SessionKind.headless, Map.of(SimulatedSession.STARTUP, "PT1M",
                SimulatedSession.RUNTIME, "PT2H", SimulatedSession.EXIT, "3"), T0);

        assertThat(plan.startAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(plan.endAt()).isEqualTo(T0.plus(Duration.ofMinutes(121)));
        Observation ended = plan.observe(plan.endAt(), null, URL);
        assertThat(ended.status()).isEqualTo(SessionStatus.Failed);
        assertThat(ended.exitStatus()).isEqualTo(3);
        assertThat(ended.message()).contains("status 3");
    }

    @Test
    void aNotebookRunsUntilDeletedAndEndsByItsDeleteAfterTheStop() {
        SimulatedSession plan = SimulatedSession.plan(MODEL, SessionKind.notebook, Map.of(), T0);
        Instant start = T0.plusSeconds(30);
        Instant deleted = start.plus(Duration.ofDays(3));
        Instant stopped = deleted.plusSeconds(5);

        Observation running = plan.observe(deleted, null, URL);
        Observation terminating = plan.observe(deleted, stopped, URL);
        Observation ended = plan.observe(stopped, stopped, URL);

        assertThat(plan.endAt()).isNull();
        assertThat(running.status()).isEqualTo(SessionStatus.Running);
        assertThat(running.connectUrl()).isEqualTo(URL);
        assertThat(running.nextChange()).as("nothing foretold: it runs until deleted").isNull();
        assertThat(terminating.status()).isEqualTo(SessionStatus.Terminating);
        assertThat(terminating.nextChange()).isEqualTo(stopped);
        assertThat(ended.status()).isEqualTo(SessionStatus.Terminated);
        assertThat(ended.exitStatus()).isEqualTo(SimulatedSession.DELETED_EXIT);
        assertThat(ended.startTime()).isEqualTo(start);
        assertThat(plan.log(stopped, stopped)).contains(start + " started", stopped + " ended by its delete");
    }

    @Test
    void aSessionDeletedBeforeItStartedNeverRanAndOneEndingOnItsOwnFirstKeepsItsEnd() {
        SimulatedSession plan = SimulatedSession.plan(MODEL, SessionKind.headless, Map.of(), T0);
        Observation early = plan.observe(T0.plusSeconds(10), T0.plusSeconds(10), URL);
        Observation late = plan.observe(plan.endAt(), plan.endAt().plusSeconds(60), URL);
        Observation atItsStart = plan.observe(plan.startAt(), plan.startAt(), URL);

        assertThat(early.status()).isEqualTo(SessionStatus.Terminated);
        assertThat(early.startTime()).isNull();
        assertThat(late.status()).isEqualTo(SessionStatus.Succeeded);
        assertThat(late.exitStatus()).isZero();
        assertThat(plan.log(T0.plusSeconds(10), T0.plusSeconds(10))).doesNotContain("started");
        assertThat(atItsStart.startTime()).as("seen Running at that instant, so it started").isEqualTo(plan.startAt());
    }

    @Test
    void thePlanTravelsAsThePlatformIdAndOtherIdsAreNotOurs() {
        SimulatedSession headless = SimulatedSession.plan(MODEL, SessionKind.headless, Map.of(), T0);
        SimulatedSession notebook = SimulatedSession.plan(MODEL, SessionKind.notebook, Map.of(SimulatedSession.EXIT, "7"), T0);

        assertThat(headless.platformId()).isEqualTo(
                "sim;headless;2030-01-07T09:00:00Z;2030-01-07T09:00:30Z;2030-01-07T09:10:30Z;0");
        assertThat(SimulatedSession.parse(headless.platformId())).isEqualTo(headless);
        assertThat(SimulatedSession.parse(notebook.platformId())).isEqualTo(notebook);
        for (String other : new String[] {null, "", "s-1234", "sim;headless;x;y;z;0", "sim;gpu;2030-01-07T09:00:00Z;"
                + "2030-01-07T09:00:30Z;-;0"}) {
            assertThatThrownBy(() -> SimulatedSession.parse(other)).as(other).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void badOverridesRefuseTheLaunchNamingTheVariable() {
        for (Map<String, String> env : new Map[] {Map.of(SimulatedSession.RUNTIME, "two hours"),
                Map.of(SimulatedSession.STARTUP, "-PT1S"), Map.of(SimulatedSession.EXIT, "256"),
                Map.of(SimulatedSession.EXIT, "three")}) {
            String name = env.keySet().iterator().next();
            assertThatThrownBy(() -> SimulatedSession.plan(MODEL, SessionKind.headless, env, T0)).as(env.toString())
                    .isInstanceOf(ProblemException.class)
                    .hasMessageContaining(name)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> new SimulatedSession.Model(Duration.ofSeconds(-1), Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startup");
    }
}
