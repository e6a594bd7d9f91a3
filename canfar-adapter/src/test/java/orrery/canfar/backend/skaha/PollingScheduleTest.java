package orrery.canfar.backend.skaha;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
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
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.time.ManualTimeSource;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The watcher's polling runs on the TimeSource: with a manual clock nothing is polled until the
 * clock moves, and then exactly on the back-off schedule: {@code poll-initial} after a change,
 * doubling while nothing changes, up to {@code poll-max}.
 */
@QuarkusTest
@TestProfile(PollingScheduleTest.ManualClockProfile.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SkahaStub.class)
class PollingScheduleTest extends AdapterTest {

    /** The manual clock replaces the system clock, for this profile only. */
    @Alternative
    public static class ManualClock {

        @Produces
        @Singleton
        ManualTimeSource clock() {
            return new ManualTimeSource(Instant.parse("2030-01-07T09:00:00Z"));
        }
    }

    public static class ManualClockProfile implements QuarkusTestProfile {

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ManualClock.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orrery.canfar.watch.idle", "PT10M");
        }
    }

    private static final String IMAGE = "images.canfar.net/skaha/terminal:1.1.2";

    @SkahaStub.InjectSkaha
    WireMockServer skaha;
    @Inject
    ManualTimeSource clock;
    @ConfigProperty(name = "orrery.canfar.skaha.poll-initial")
    Duration initial;
    @ConfigProperty(name = "orrery.canfar.skaha.poll-max")
    Duration ceiling;

    @Test
    void looksAtASessionOnTheBackOffScheduleOfTheClock() {
        SkahaStub.offerings(skaha);
        SkahaStub.launches(skaha, "scheduled", "sch3d001");
        String path = SkahaStub.BASE + "/session/sch3d001";
        skaha.stubFor(get(urlEqualTo(path)).willReturn(okJson(
                SkahaStub.session("sch3d001", "scheduled", IMAGE, "Running", "2030-01-07T09:00:00Z", null))));
        String executionId = TaskSender.id("exec");
        LaunchTask task = new LaunchTask(TaskSender.id("launch"), executionId, "alice", "scheduled", IMAGE,
                SessionKind.headless, 1, 1, "env", List.of(), Map.of(), "home/alice/broker/" + executionId);
        Instant start = clock.now();

        tasks.launch(task);

        events.awaitSession(sessionOf(task), SessionStatus.Running);
        looksSoFar(path, 1);
        // Running was a change, so the first gap is the initial one; then it doubles up to the ceiling.
        Instant due = start;
        Duration gap = initial;
        for (int look = 2; look <= 6; look++) {
            Instant next = due.plus(gap);
            await("look " + look + " scheduled at " + next).atMost(EventLog.PATIENCE)
                    .until(() -> next.equals(clock.nextDue()));

            clock.advanceTo(next);

            looksSoFar(path, look);
            due = next;
            gap = gap.multipliedBy(2).compareTo(ceiling) > 0 ? ceiling : gap.multipliedBy(2);
        }
    }

    private void looksSoFar(String path, int expected) {
        await("GET " + path + " x" + expected).atMost(EventLog.PATIENCE).until(() ->
                skaha.countRequestsMatching(getRequestedFor(urlEqualTo(path)).build()).getCount() == expected);
    }
}
