package orrery.canfar.backend.skaha;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import orrery.canfar.AdapterTest;
import orrery.canfar.EventLog;
import orrery.canfar.TaskSender;
import orrery.canfar.service.SessionWatcher;
import orrery.model.canfar.CanfarQuote;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.DeleteResult;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.support.messaging.NatsRequestReply;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The skaha backend against WireMock stubs shaped like skaha's API (opencadc/science-platform):
 * the launch form, the session JSON and its statuses, DELETE, renew, /context and /image, and
 * skaha's errors. No skaha can run here.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(SkahaStub.class)
class SkahaSessionsTest extends AdapterTest {

    private static final String TERMINAL = "images.canfar.net/skaha/terminal:1.1.2";
    private static final String NOTEBOOK = "images.canfar.net/skaha/base-notebook:latest";
    private static final String ASTROML = "images.canfar.net/skaha/astroml:24.07";
    private static final String USER = "alice";

    @SkahaStub.InjectSkaha
    WireMockServer skaha;
    @Inject
    NatsRequestReply requests;
    @Inject
    Pool database;
    @Inject
    SessionWatcher watcher;

    EventLog events;
    TaskSender tasks;

    @BeforeEach
    void setUp() {
        events = new EventLog(connection, codec);
        tasks = new TaskSender(publisher, envelopes, storageRoot);
        SkahaStub.offerings(skaha);
    }

    @AfterEach
    void tearDown() {
        events.close();
    }

    @Test
    void aHeadlessLaunchPostsSkahasFormWithTheTokenAndFollowsTheSessionToItsEnd() {
        String platformId = "k3x9qz2a";
        SkahaStub.launches(skaha, "lifecycle", platformId);
        String scenario = "lifecycle";
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).inScenario(scenario)
                .whenScenarioStateIs(STARTED).willSetStateTo("running")
                .willReturn(okJson(SkahaStub.session(platformId, "lifecycle", TERMINAL, "Pending", null, null))));
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).inScenario(scenario)
                .whenScenarioStateIs("running").willSetStateTo("done")
                .willReturn(okJson(SkahaStub.session(platformId, "lifecycle", TERMINAL, "Running", "2024-08-30T09:47:12Z",
                        "2024-09-03T09:47:12Z"))));
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).inScenario(scenario)
                .whenScenarioStateIs("done")
                .willReturn(okJson(SkahaStub.session(platformId, "lifecycle", TERMINAL, "Succeeded", "2024-08-30T09:47:12Z",
                        "2024-09-03T09:47:12Z"))));
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId + "?view=logs"))
                .willReturn(aResponse().withHeader("Content-Type", "text/plain").withBody("analysing...\ndone\n")));
        LaunchTask task = launchTask("lifecycle", TERMINAL, 2, 4, "python3", List.of("analyse.py", "--fast"),
                Map.of("MODE", "quick"));

        tasks.launch(task);

        String sessionId = sessionOf(task);
        SessionEvent succeeded = events.awaitSession(sessionId, SessionStatus.Succeeded);
        assertThat(succeeded.startTime()).isEqualTo(Instant.parse("2024-08-30T09:47:12Z"));
        assertThat(events.statuses(sessionId)).containsExactly(SessionStatus.Pending, SessionStatus.Running,
                SessionStatus.Succeeded);
        skaha.verify(1, postRequestedFor(urlEqualTo(SkahaStub.BASE + "/session"))
                .withHeader("Authorization", equalTo("Bearer " + SkahaStub.TOKEN))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withFormParam("name", equalTo("lifecycle"))
                .withFormParam("image", equalTo(TERMINAL))
                .withFormParam("cores", equalTo("2"))
                .withFormParam("ram", equalTo("4"))
                .withFormParam("type", equalTo("headless"))
                .withFormParam("cmd", equalTo("python3"))
                .withFormParam("args", equalTo("analyse.py --fast"))
                .withFormParam("env", havingExactly("MODE=quick", "ORRERY_SESSION_ID=" + sessionId,
                        "ORRERY_EXECUTION_ID=" + task.executionId(), "ORRERY_WORKDIR=/arc/" + task.workdir())));
        given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}", sessionId).then().statusCode(200)
                .body("platformSessionId", org.hamcrest.Matchers.equalTo(platformId))
                .body("backend", org.hamcrest.Matchers.equalTo("skaha"))
                .body("expiryTime", org.hamcrest.Matchers.equalTo("2024-09-03T09:47:12Z"));
        given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}/logs", sessionId).then().statusCode(200)
                .body(org.hamcrest.Matchers.equalTo("analysing...\ndone\n"));
    }

    @Test
    void aContainerIsAHeadlessSessionOfItsImageLaunchedByNameWithItsDigestChecked() {
        String digest = "sha256:5b3f1a2c9d8e7f60a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f809";
        String platformId = "c0nt41n3";
        SkahaStub.launches(skaha, "container", platformId);
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).willReturn(okJson(
                SkahaStub.session(platformId, "container", TERMINAL, "Running", "2024-08-30T09:47:12Z", "2024-09-03T09:47:12Z"))));
        String executionId = TaskSender.id("exec");
        LaunchTask task = new LaunchTask(TaskSender.id("launch"), executionId, USER, "container", TERMINAL + "@" + digest,
                SessionKind.container, 1, 4, "/bin/sh", List.of("-c", "md5sum"), Map.of(), "home/" + USER + "/broker/" + executionId);

        tasks.launch(task);

        events.awaitSession(sessionOf(task), SessionStatus.Running);
        skaha.verify(1, postRequestedFor(urlEqualTo(SkahaStub.BASE + "/session"))
                .withFormParam("name", equalTo("container"))
                .withFormParam("image", equalTo(TERMINAL))
                .withFormParam("type", equalTo("headless"))
                .withFormParam("cmd", equalTo("/bin/sh"))
                .withFormParam("args", equalTo("-c md5sum")));

        assertThat(ask(new CanfarQuoteRequest(TERMINAL + "@" + digest, SessionKind.container, 1, 4)).feasible()).isTrue();
        CanfarQuote otherContent = ask(new CanfarQuoteRequest(TERMINAL + "@sha256:" + "0".repeat(64), SessionKind.container, 1, 4));
        assertThat(otherContent.feasible()).isFalse();
        assertThat(otherContent.reason()).contains("has digest " + digest);
        CanfarQuote notHeadless = ask(new CanfarQuoteRequest(ASTROML, SessionKind.container, 1, 4));
        assertThat(notHeadless.reason()).contains("not 'headless'");
        CanfarQuote mounted = ask(new CanfarQuoteRequest(TERMINAL, SessionKind.container, 1, 4,
                List.of(new orrery.model.canfar.VolumeMount("obs.fits", "/input/obs.fits", true))));
        assertThat(mounted.feasible()).isFalse();
        assertThat(mounted.reason()).contains("skaha mounts only the session folder");
    }

    @Test
    void anEmailLikeUsersSessionGetsANameSkahaAcceptsAndStaysTheirs() {
        String user = "carol@example.org";
        String platformId = "c4r0l000";
        SkahaStub.launches(skaha, "carol-example-org-s-run", platformId);
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).willReturn(okJson(
                SkahaStub.session(platformId, "carol-example-org-s-run", TERMINAL, "Running", "2024-08-30T09:47:12Z", null))));
        String executionId = TaskSender.id("exec");
        LaunchTask task = new LaunchTask(TaskSender.id("launch"), executionId, user, user + "'s run", TERMINAL,
                SessionKind.headless, 1, 1, "env", List.of(), Map.of(), "home/" + user + "/broker/" + executionId);

        tasks.launch(task);

        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Running);
        skaha.verify(1, postRequestedFor(urlEqualTo(SkahaStub.BASE + "/session"))
                .withFormParam("name", equalTo("carol-example-org-s-run"))
                .withFormParam("env", havingExactly("ORRERY_SESSION_ID=" + sessionId, "ORRERY_EXECUTION_ID=" + executionId,
                        "ORRERY_WORKDIR=/arc/home/" + user + "/broker/" + executionId)));
        given().auth().oauth2(JwtTestResource.token(user)).get("/api/v1/sessions/{id}", sessionId).then().statusCode(200)
                .body("user", org.hamcrest.Matchers.equalTo(user))
                .body("name", org.hamcrest.Matchers.equalTo("carol-example-org-s-run"));
        given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}", sessionId).then().statusCode(404);
        given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}/logs", sessionId).then()
                .statusCode(404);
        given().get("/api/v1/sessions/{id}", sessionId).then().statusCode(401);
    }

    @Test
    void aSizeOrImageSkahaDoesNotOfferIsRefusedNamingWhatItOffers() {
        LaunchTask threeCores = launchTask("threecores", TERMINAL, 3, 4, "env", List.of(), Map.of());
        LaunchTask unlisted = launchTask("unlisted", "images.canfar.net/skaha/unknown:9", 1, 1, "env", List.of(), Map.of());
        LaunchTask notebookOnly = launchTask("wrongtype", TERMINAL, 1, 1, null, List.of(), Map.of());
        LaunchTask spaces = launchTask("spaces", TERMINAL, 1, 1, "echo", List.of("two words"), Map.of());
        LaunchTask notebook = new LaunchTask(notebookOnly.taskId(), notebookOnly.executionId(), USER, "wrongtype", TERMINAL,
                SessionKind.notebook, 1, 1, null, List.of(), Map.of(), notebookOnly.workdir());

        List.of(threeCores, unlisted, notebook, spaces).forEach(tasks::launch);

        assertThat(failure(threeCores)).contains("skaha offers [1, 2, 4, 8, 16] cores");
        assertThat(failure(unlisted)).contains("does not list image images.canfar.net/skaha/unknown:9");
        assertThat(failure(notebook)).contains("labelled [headless]");
        assertThat(failure(spaces)).contains("space-separated");
        skaha.verify(0, postRequestedFor(urlEqualTo(SkahaStub.BASE + "/session")).withFormParam("name",
                com.github.tomakehurst.wiremock.client.WireMock.matching("threecores|unlisted|wrongtype|spaces")));
    }

    @Test
    void skahasOwnRefusalIsReportedWithItsMessage() {
        skaha.stubFor(post(urlEqualTo(SkahaStub.BASE + "/session")).withFormParam("name", equalTo("toomany"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/plain")
                        .withBody("User orrery-bot has reached the maximum of 3 active sessions.\n")));

        LaunchTask task = launchTask("toomany", TERMINAL, 1, 1, "env", List.of(), Map.of());
        tasks.launch(task);

        assertThat(failure(task)).contains("HTTP 400").contains("has reached the maximum of 3 active sessions");
    }

    @Test
    void aLaunchSkahaCannotTakeNowIsRetriedUntilItCan() {
        String scenario = "busy";
        skaha.stubFor(post(urlEqualTo(SkahaStub.BASE + "/session")).withFormParam("name", equalTo("busy"))
                .inScenario(scenario).whenScenarioStateIs(STARTED).willSetStateTo("calm")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1").withBody("Service Unavailable")));
        skaha.stubFor(post(urlEqualTo(SkahaStub.BASE + "/session")).withFormParam("name", equalTo("busy"))
                .inScenario(scenario).whenScenarioStateIs("calm")
                .willReturn(aResponse().withHeader("Content-Type", "text/plain").withBody("b5sy0001\n")));
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/b5sy0001"))
                .willReturn(okJson(SkahaStub.session("b5sy0001", "busy", TERMINAL, "Running", "2024-08-30T09:47:12Z", null))));

        LaunchTask task = launchTask("busy", TERMINAL, 1, 1, "env", List.of(), Map.of());
        tasks.launch(task);

        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Running);
        skaha.verify(2, postRequestedFor(urlEqualTo(SkahaStub.BASE + "/session")).withFormParam("name", equalTo("busy")));
    }

    @Test
    void aDeleteEndsTheSessionOnSkahaAndCompletesOnceSkahaForgetsIt() {
        String platformId = "d3l3t3me";
        SkahaStub.launches(skaha, "ending", platformId);
        String scenario = "ending";
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).inScenario(scenario)
                .whenScenarioStateIs(STARTED)
                .willReturn(okJson(SkahaStub.session(platformId, "ending", TERMINAL, "Running", "2024-08-30T09:47:12Z", null))));
        skaha.stubFor(delete(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).inScenario(scenario)
                .willSetStateTo("deleted").willReturn(aResponse().withStatus(200)));
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).inScenario(scenario)
                .whenScenarioStateIs("deleted")
                .willReturn(aResponse().withStatus(404).withBody("session " + platformId + " not found")));
        LaunchTask task = launchTask("ending", TERMINAL, 1, 1, "sleep", List.of("3600"), Map.of());
        tasks.launch(task);
        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Running);

        DeleteTask delete = tasks.delete(sessionId);

        TaskEvent done = events.awaitFinal(delete.taskId());
        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(codec.mapper().convertValue(done.result(), DeleteResult.class))
                .isEqualTo(new DeleteResult(sessionId, SessionStatus.Terminated, null));
        assertThat(events.statuses(sessionId)).containsExactly(SessionStatus.Pending, SessionStatus.Running,
                SessionStatus.Terminating, SessionStatus.Terminated);
        skaha.verify(1, deleteRequestedFor(urlEqualTo(SkahaStub.BASE + "/session/" + platformId))
                .withHeader("Authorization", equalTo("Bearer " + SkahaStub.TOKEN)));
    }

    @Test
    void aSessionWhoseBookingOutlastsItsExpiryIsRenewed() {
        String platformId = "r3n3w000";
        SkahaStub.launches(skaha, "renewing", platformId);
        Instant soon = Instant.now().plus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Instant later = soon.plus(4, ChronoUnit.DAYS);
        String scenario = "renewing";
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).inScenario(scenario)
                .whenScenarioStateIs(STARTED)
                .willReturn(okJson(SkahaStub.session(platformId, "renewing", NOTEBOOK, "Running", "2024-08-30T09:47:12Z",
                        soon.toString()))));
        skaha.stubFor(post(urlEqualTo(SkahaStub.BASE + "/session/" + platformId + "?action=renew")).inScenario(scenario)
                .willSetStateTo("renewed").willReturn(aResponse().withStatus(200)));
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/" + platformId)).inScenario(scenario)
                .whenScenarioStateIs("renewed")
                .willReturn(okJson(SkahaStub.session(platformId, "renewing", NOTEBOOK, "Running", "2024-08-30T09:47:12Z",
                        later.toString()))));
        LaunchTask plain = launchTask("renewing", NOTEBOOK, 1, 1, null, List.of(), Map.of());
        LaunchTask task = new LaunchTask(plain.taskId(), plain.executionId(), USER, "renewing", NOTEBOOK,
                SessionKind.notebook, 1, 1, null, List.of(), Map.of(), plain.workdir(), Instant.now().plus(Duration.ofDays(2)));

        tasks.launch(task);

        String sessionId = sessionOf(task);
        await().atMost(EventLog.PATIENCE).untilAsserted(() ->
                given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}", sessionId).then().statusCode(200)
                        .body("expiryTime", org.hamcrest.Matchers.equalTo(later.toString())));
        skaha.verify(1, postRequestedFor(urlEqualTo(SkahaStub.BASE + "/session/" + platformId + "?action=renew")));
        skaha.verify(postRequestedFor(urlEqualTo(SkahaStub.BASE + "/session")).withFormParam("name", equalTo("renewing"))
                .withFormParam("type", equalTo("notebook")));
    }

    @Test
    void aLaunchInterruptedBeforeItsOutcomeWasRecordedAdoptsTheSessionSkahaMade() {
        String sessionId = orrery.canfar.domain.SessionIds.next();
        String taskId = "launch-" + sessionId;
        Instant asked = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session")).willReturn(okJson("["
                + SkahaStub.session("other001", "adopted", TERMINAL, "Running", asked.minus(Duration.ofHours(3)).toString(), null) + ","
                + SkahaStub.session("ad0pt3d1", "adopted", TERMINAL, "Running", asked.plusSeconds(20).toString(), null) + "]")));
        skaha.stubFor(get(urlEqualTo(SkahaStub.BASE + "/session/ad0pt3d1"))
                .willReturn(okJson(SkahaStub.session("ad0pt3d1", "adopted", TERMINAL, "Running", asked.plusSeconds(20).toString(), null))));
        OffsetDateTime then = OffsetDateTime.ofInstant(asked, ZoneOffset.UTC);
        database.preparedQuery("INSERT INTO canfar_session (id, task_id, execution_id, owner, name, image, kind, cores, "
                        + "ram_gb, cmd, backend, launch_state, status, created_at, next_poll_at) VALUES ($1, $2, 'exec-adopt', "
                        + "$3, 'adopted', $4, 'headless', 1, 1, 'env', 'skaha', 'LAUNCHING', 'Pending', $5, $5)")
                .execute(Tuple.from(List.of(sessionId, taskId, USER, TERMINAL, then)))
                .await().atMost(Duration.ofSeconds(10));

        watcher.resume();

        TaskEvent completed = events.awaitFinal(taskId);
        assertThat(completed.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(codec.mapper().convertValue(completed.result(), LaunchResult.class).sessionId()).isEqualTo(sessionId);
        events.awaitSession(sessionId, SessionStatus.Running);
        given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}", sessionId).then().statusCode(200)
                .body("platformSessionId", org.hamcrest.Matchers.equalTo("ad0pt3d1"));
        skaha.verify(0, postRequestedFor(urlEqualTo(SkahaStub.BASE + "/session")).withFormParam("name", equalTo("adopted")));
    }

    @Test
    void quotesCheckSkahasSizesAndImages() {
        CanfarQuote fine = ask(new CanfarQuoteRequest(ASTROML, SessionKind.notebook, 2, 8));
        CanfarQuote oddSize = ask(new CanfarQuoteRequest(NOTEBOOK, SessionKind.notebook, 2, 5));
        CanfarQuote unknownImage = ask(new CanfarQuoteRequest("images.canfar.net/skaha/nope:1", SessionKind.headless, 1, 1));

        assertThat(fine).isEqualTo(new CanfarQuote(Duration.ofMinutes(3), true, null));
        assertThat(oddSize.feasible()).isFalse();
        assertThat(oddSize.reason()).contains("[1, 2, 4, 8, 16, 32, 64] GB");
        assertThat(unknownImage.feasible()).isFalse();
    }

    private LaunchTask launchTask(String name, String image, int cores, int ram, String cmd, List<String> args,
                                  Map<String, String> env) {
        String executionId = TaskSender.id("exec");
        return new LaunchTask(TaskSender.id("launch"), executionId, USER, name, image,
                cmd == null ? SessionKind.notebook : SessionKind.headless, cores, ram, cmd, args, env,
                "home/" + USER + "/broker/" + executionId);
    }


    private String failure(LaunchTask task) {
        TaskEvent report = events.awaitFinal(task.taskId());
        assertThat(report.state()).isEqualTo(TaskState.FAILED);
        return report.reason();
    }

    private CanfarQuote ask(CanfarQuoteRequest request) {
        return requests.request(Subjects.QUOTE_CANFAR, MessageTypes.CANFAR_QUOTE, request, null, Duration.ofSeconds(10),
                CanfarQuote.class).await().atMost(Duration.ofSeconds(10));
    }
}
