package orrery.canfar.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import orrery.canfar.AdapterTest;
import orrery.canfar.EventLog;
import orrery.canfar.TaskSender;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.envelope.Envelope;
import orrery.model.messaging.Headers;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.OpenApiFuzzer;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/** Poison, refused launches and bad REST requests: each gets a clear answer, none a 500 or silence. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class BadInputTest extends AdapterTest {



    @Test
    void anUnreadableTaskGoesToTheDeadLetterStream() throws Exception {
        connection.jetStream().publish(Subjects.CANFAR_LAUNCH, "launch it, please".getBytes(StandardCharsets.UTF_8));

        MessageInfo dead = deadLetter("dlq." + Subjects.CANFAR_LAUNCH, "launch it, please");

        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("unreadable message");
    }

    @Test
    void aLaunchWithoutARequiredFieldGoesToTheDeadLetterStreamNamingIt() throws Exception {
        String taskId = TaskSender.id("launch");
        Envelope envelope = envelopes.create(taskId, MessageTypes.CANFAR_LAUNCH, Subjects.CANFAR_LAUNCH, null,
                Map.of("taskId", taskId, "executionId", "e1", "user", "alice", "name", "n", "kind", "headless",
                        "cores", 1, "ram", 1));
        publisher.publish(Subjects.CANFAR_LAUNCH, envelope).await().indefinitely();

        MessageInfo dead = deadLetter("dlq." + Subjects.CANFAR_LAUNCH, taskId);

        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("data.image");
    }

    @Test
    void aTaskOfAnUnknownTypeGoesToTheDeadLetterStream() throws Exception {
        String id = TaskSender.id("odd");
        Envelope envelope = envelopes.create(id, "orrery.task.canfar.reboot", "tasks.canfar.reboot", null, Map.of("x", 1));
        publisher.publish("tasks.canfar.reboot", envelope).await().indefinitely();

        MessageInfo dead = deadLetter("dlq.tasks.canfar.reboot", id);

        assertThat(dead.getHeaders().getFirst(Headers.DLQ_REASON)).contains("not 'orrery.task.canfar.reboot'");
    }

    @Test
    void aLaunchTheRulesRefuseIsReportedFailedWithAnActionableReason() {
        LaunchTask okay = tasks.headless("alice", "true", List.of(), Map.of());
        Map<LaunchTask, String> refused = Map.of(
                copy(okay, "images.example.org/evil:1", okay.cmd(), okay.env(), okay.workdir()), "allow-list",
                copy(okay, okay.image(), okay.cmd(), okay.env(), "../../../etc"), "escapes the storage root",
                copy(okay, okay.image(), okay.cmd(), Map.of("BAD-NAME", "x"), okay.workdir()), "BAD-NAME",
                copy(okay, okay.image(), "no-such-program-here", okay.env(), okay.workdir()), "not installed",
                copy(okay, okay.image(), okay.cmd(), okay.env(), "home/alice/never-staged"), "stage the session's files");

        refused.keySet().forEach(tasks::launch);

        refused.forEach((task, why) -> {
            TaskEvent report = events.awaitFinal(task.taskId());
            assertThat(report.state()).as(why).isEqualTo(TaskState.FAILED);
            assertThat(report.reason()).contains(why);
        });
    }

    @Test
    void aNotebookSessionWithoutJupyterFailsSayingWhatToInstall() {
        LaunchTask okay = tasks.headless("alice", "true", List.of(), Map.of());
        LaunchTask notebook = new LaunchTask(okay.taskId(), okay.executionId(), "alice", "nb", okay.image(),
                SessionKind.notebook, 1, 1, "analysis.ipynb", List.of(), Map.of(), okay.workdir());
        try {
            java.nio.file.Files.writeString(tasks.absolute(okay.workdir()).resolve("analysis.ipynb"), "{}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        tasks.launch(notebook);

        TaskEvent report = events.awaitFinal(notebook.taskId());
        if (report.state() == TaskState.FAILED) {
            assertThat(report.reason()).contains("Jupyter").contains("pip install nbconvert");
        } else {
            // Jupyter is installed here: the notebook (an empty, invalid one) runs and fails in nbconvert.
            String sessionId = codec.mapper().convertValue(report.result(), LaunchResult.class).sessionId();
            events.awaitSession(sessionId, SessionStatus.Failed);
        }
    }

    @Test
    void everyEndpointRefusesACallerWithoutAValidTokenAndServesOneWithIt() {
        String sessionId = ended(tasks.headless("alice", "true", List.of(), Map.of()));
        String wrongAudience = JwtTestResource.tokenFor(JwtTestResource.ISSUER, "some-other-service", "alice");
        String wrongIssuer = JwtTestResource.tokenFor("https://issuer.example.org/", JwtTestResource.AUDIENCE, "alice");
        String forged = JwtTestResource.forged("alice");
        List<String[]> endpoints = List.of(new String[] {"GET", "/api/v1/sessions"},
                new String[] {"GET", "/api/v1/sessions/" + sessionId},
                new String[] {"GET", "/api/v1/sessions/" + sessionId + "/logs"},
                new String[] {"DELETE", "/api/v1/sessions/" + sessionId});

        for (String[] endpoint : endpoints) {
            String call = endpoint[0] + " " + endpoint[1];
            unauthenticated(given(), endpoint, call + " without a token");
            unauthenticated(given().auth().oauth2(wrongAudience), endpoint, call + " for another audience");
            unauthenticated(given().auth().oauth2(wrongIssuer), endpoint, call + " from another issuer");
            unauthenticated(given().auth().oauth2(forged), endpoint, call + " with a forged token");
            given().header("Authorization", "Basic YWxpY2U6c2VjcmV0").request(endpoint[0], endpoint[1]).then()
                    .statusCode(401);
            given().header("X-User", "alice").request(endpoint[0], endpoint[1]).then().statusCode(401);
            given().auth().oauth2(JwtTestResource.token("alice")).request(endpoint[0], endpoint[1]).then()
                    .statusCode(endpoint[0].equals("DELETE") ? 202 : 200);
        }
        given().auth().oauth2(JwtTestResource.token("alice")).get("/api/v1/sessions").then().statusCode(200)
                .body("id", hasItem(sessionId));
    }

    @Test
    void aTokenWhoseUserNameBreaksTheRuleIsRefusedAtTheDoor() {
        given().auth().oauth2(JwtTestResource.token("not a user!")).get("/api/v1/sessions").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("urn:orrery:problem:invalid-user-name"));
        given().auth().oauth2(JwtTestResource.token("../alice")).get("/api/v1/sessions/nosuchsession").then()
                .statusCode(401).body("type", equalTo("urn:orrery:problem:invalid-user-name"));
    }

    @Test
    void badParametersAndUnknownSessionsGetProblems() {
        String alice = JwtTestResource.token("alice");
        given().auth().oauth2(alice).queryParam("limit", 0).get("/api/v1/sessions").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("limit"));
        given().auth().oauth2(alice).queryParam("limit", "many").get("/api/v1/sessions").then()
                .statusCode(404);
        given().auth().oauth2(alice).get("/api/v1/sessions/nosuchsession").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:orrery:problem:not-found"));
        given().auth().oauth2(alice).get("/api/v1/sessions/nosuchsession/logs").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(alice).delete("/api/v1/sessions/nosuchsession").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aUserCannotSeeReadOrEndAnotherUsersSessionButAnAdministratorCan() {
        LaunchTask task = tasks.headless("bob", "sleep", List.of("600"), Map.of());
        tasks.launch(task);
        TaskEvent completed = events.awaitFinal(task.taskId());
        String sessionId = codec.mapper().convertValue(completed.result(), LaunchResult.class).sessionId();
        events.awaitSession(sessionId, SessionStatus.Running);
        String alice = JwtTestResource.token("alice");
        String bob = JwtTestResource.token("bob");

        given().auth().oauth2(alice).get("/api/v1/sessions/{id}", sessionId).then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:orrery:problem:not-found"));
        given().auth().oauth2(alice).get("/api/v1/sessions/{id}/logs", sessionId).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(alice).delete("/api/v1/sessions/{id}", sessionId).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(alice).get("/api/v1/sessions").then().statusCode(200)
                .body("id", not(hasItem(sessionId)));
        given().auth().oauth2(alice).queryParam("executionId", task.executionId()).get("/api/v1/sessions").then()
                .statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(bob).get("/api/v1/sessions/{id}", sessionId).then().statusCode(200)
                .body("status", equalTo("Running")).body("user", equalTo("bob"));
        given().auth().oauth2(bob).get("/api/v1/sessions").then().statusCode(200).body("id", hasItem(sessionId));
        given().auth().oauth2(bob).queryParam("offset", -1).get("/api/v1/sessions/{id}/logs", sessionId)
                .then().statusCode(400).contentType("application/problem+json");
        String root = JwtTestResource.admin("root");
        given().auth().oauth2(root).get("/api/v1/sessions/{id}", sessionId).then().statusCode(200)
                .body("user", equalTo("bob"));
        given().auth().oauth2(root).get("/api/v1/sessions/{id}/logs", sessionId).then().statusCode(200);
        given().auth().oauth2(root).get("/api/v1/sessions").then().statusCode(200).body("id", not(hasItem(sessionId)));
        // A session still running was not touched by the refused deletes.
        given().auth().oauth2(bob).get("/api/v1/sessions/{id}", sessionId).then().statusCode(200)
                .body("status", equalTo("Running")).body("deleting", equalTo(false));

        given().auth().oauth2(bob).delete("/api/v1/sessions/{id}", sessionId).then().statusCode(202);
        events.awaitSession(sessionId, SessionStatus.Terminated);
    }

    @Test
    void anAdministratorMayEndAnotherUsersSession() {
        LaunchTask task = tasks.headless("erin", "sleep", List.of("600"), Map.of());
        tasks.launch(task);
        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Running);

        given().auth().oauth2(JwtTestResource.admin("root")).delete("/api/v1/sessions/{id}", sessionId).then()
                .statusCode(202).body("user", equalTo("erin")).body("deleting", equalTo(true));

        events.awaitSession(sessionId, SessionStatus.Terminated);
    }

    private static void unauthenticated(RequestSpecification request, String[] endpoint, String what) {
        try {
            request.request(endpoint[0], endpoint[1]).then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo("urn:orrery:problem:unauthenticated"))
                    .body("detail", containsString("bearer token"));
        } catch (AssertionError e) {
            throw new AssertionError(what + ": " + e.getMessage(), e);
        }
    }

    private String ended(LaunchTask task) {
        tasks.launch(task);
        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Succeeded);
        return sessionId;
    }

    private static LaunchTask copy(LaunchTask task, String image, String cmd, Map<String, String> env, String workdir) {
        return new LaunchTask(TaskSender.id("launch"), task.executionId(), task.user(), task.name(), image, task.kind(),
                task.cores(), task.ram(), cmd, task.args(), env, workdir);
    }

    private MessageInfo deadLetter(String subject, String bodyContains) throws Exception {
        JetStreamManagement jsm = connection.jetStreamManagement();
        return await().atMost(EventLog.PATIENCE).ignoreException(JetStreamApiException.class)
                .until(() -> jsm.getLastMessage("DLQ", subject),
                        m -> m != null && new String(m.getData(), StandardCharsets.UTF_8).contains(bodyContains));
    }

    @TestHTTPResource("/")
    URL fuzzRoot;

    /** Every operation of /q/openapi, broken on purpose (seeded, so a finding replays): no 5xx, every 4xx problem+json, no hang. */
    @Test
    void aSeededFuzzOfEveryOperationNeverGetsA5xxAndAlwaysProblemJson() throws Exception {
        OpenApiFuzzer.assertEveryOperationHoldsUp(fuzzRoot, 13, 10);
    }
}
