package orrery.canfar.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import orrery.canfar.AdapterTest;
import orrery.canfar.EventLog;
import orrery.canfar.TaskSender;
import orrery.canfar.backend.local.Fences;
import orrery.model.canfar.DeleteResult;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchResult;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.Jupyter;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The local backend end to end: launch and delete tasks over real NATS, sessions recorded in real
 * PostgreSQL, and real process groups on this machine.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class LocalSessionsTest extends AdapterTest {

    private static final String USER = "alice";

    @ConfigProperty(name = "orrery.canfar.local.run-dir")
    Path runDir;


    @Test
    void aCommandThatSucceedsIsReportedRunningThenSucceededWithItsOutputInTheLog() {
        LaunchTask task = tasks.headless(USER, "env", List.of(), Map.of("GREETING", "hello from the broker"));

        tasks.launch(task);

        assertThat(events.awaitTask(task.taskId(), TaskState.RUNNING).sequence()).isEqualTo(1);
        TaskEvent completed = events.awaitFinal(task.taskId());
        assertThat(completed.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(completed.sequence()).isEqualTo(2);
        LaunchResult result = codec.mapper().convertValue(completed.result(), LaunchResult.class);
        String sessionId = result.sessionId();
        SessionEvent succeeded = events.awaitSession(sessionId, SessionStatus.Succeeded);
        assertThat(succeeded.exitStatus()).isZero();
        assertThat(succeeded.taskId()).isEqualTo(task.taskId());
        assertThat(succeeded.executionId()).isEqualTo(task.executionId());
        assertThat(succeeded.startTime()).isNotNull();
        assertThat(events.statuses(sessionId)).containsExactly(SessionStatus.Pending, SessionStatus.Running,
                SessionStatus.Succeeded);

        String log = given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}/logs", sessionId)
                .then().statusCode(200).extract().asString();
        Map<String, String> env = Arrays.stream(log.split("\n")).filter(line -> line.contains("="))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1), (a, b) -> b));
        String folder = tasks.absolute(task.workdir()).toString();
        assertThat(env).containsEntry("GREETING", "hello from the broker")
                .containsEntry("ORRERY_SESSION_ID", sessionId)
                .containsEntry("ORRERY_EXECUTION_ID", task.executionId())
                .containsEntry("ORRERY_WORKDIR", folder)
                .containsEntry("HOME", folder)
                .containsEntry("PATH", "/usr/local/bin:/usr/bin:/bin")
                .containsEntry("LANG", "C.UTF-8");
        // The environment is made from the request alone: nothing of the adapter's own (bwrap adds PWD).
        assertThat(env.getOrDefault("PWD", folder)).isEqualTo(folder);
        env.remove("PWD");
        assertThat(Set.copyOf(env.keySet())).containsExactlyInAnyOrder("GREETING", "ORRERY_SESSION_ID",
                "ORRERY_EXECUTION_ID", "ORRERY_WORKDIR", "PATH", "HOME", "LANG");
        assertThat(log).doesNotContain(adapterSecret());

        given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}", sessionId).then().statusCode(200)
                .body("status", equalTo("Succeeded")).body("exitStatus", equalTo(0))
                .body("envNames", equalTo(List.of("GREETING"))).body("backend", equalTo("local"));
        given().auth().oauth2(JwtTestResource.admin("metrics-scraper")).get("/q/metrics").then().statusCode(200)
                .body(containsString("orrery_canfar_sessions_total{backend=\"local\",status=\"Succeeded\"}"))
                .body(containsString("orrery_canfar_tasks_total{kind=\"canfar.launch\",state=\"COMPLETED\"}"));
    }

    @Test
    void theCommandRunsInTheSessionFolderWithItsArguments() throws Exception {
        LaunchTask task = tasks.headless(USER, "touch", List.of("made by the session"), Map.of());

        tasks.launch(task);

        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Succeeded);
        Path made = tasks.absolute(task.workdir()).resolve("made by the session");
        assertThat(made).exists();
        if (Fences.adapterIsRoot()) {
            assertThat(Files.getOwner(made).getName()).isEqualTo("nobody");
        }
    }

    // --- fenced off from the suite -------------------------------------------------------------

    @Test
    void aSessionRunsUnderTheSessionAccountAndWritesItsOwnFolder() throws Exception {
        Assumptions.assumeTrue(Fences.adapterIsRoot(), "only a root adapter switches accounts");
        LaunchTask task = tasks.headless(USER, "sh", List.of("-c", "id -un; id -u; id -G; echo mine > own.txt; "
                + "scratch=$(mktemp) && echo scratch > $scratch && cat $scratch && rm $scratch"), Map.of());

        tasks.launch(task);

        String sessionId = sessionOf(task);
        SessionEvent ended = events.awaitSession(sessionId, e -> e.status().isFinal(), "ended");
        assertThat(ended.status()).as(log(sessionId)).isEqualTo(SessionStatus.Succeeded);
        assertThat(log(sessionId).lines().toList()).containsExactly("nobody", "65534", "65534", "scratch");
        Path own = tasks.absolute(task.workdir()).resolve("own.txt");
        assertThat(own).hasContent("mine");
        assertThat(Files.getOwner(own).getName()).isEqualTo("nobody");
    }

    @Test
    void aSessionCannotReadTheSuitesSigningKey() throws Exception {
        Assumptions.assumeTrue(Fences.adapterIsRoot() || Fences.sandboxWorks(), "neither account nor sandbox fence here");
        // Stand-ins for .run/jwt/private.pem (0600, as up.sh makes it) in the run folder the adapter hides.
        Path jwt = Files.createDirectories(Path.of("target/test-run/jwt")).toAbsolutePath();
        String key = "canary-signing-key-" + TaskSender.id("k");
        Path privateKey = jwt.resolve("private.pem");
        Files.writeString(privateKey, key);
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));

        String log = endedLog(tasks.headless(USER, "cat", List.of(privateKey.toString()), Map.of()));

        assertThat(log).doesNotContain(key).containsAnyOf("Permission denied", "No such file");
    }

    @Test
    void inTheSandboxEvenFilesEveryoneMayReadInTheRunFolderAndTheCheckoutAreHidden() throws Exception {
        Assumptions.assumeTrue(Fences.sandboxWorks(), "bubblewrap is not installed or cannot make namespaces here");
        Path jwt = Files.createDirectories(Path.of("target/test-run/jwt")).toAbsolutePath();
        String secret = "canary-world-readable-" + TaskSender.id("k");
        Path readable = jwt.resolve("public-but-hidden.pem");
        Files.writeString(readable, secret);
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        Path pom = Path.of("pom.xml").toAbsolutePath();

        String log = endedLog(tasks.headless(USER, "sh", List.of("-c", "cat " + readable + "; cat " + pom
                + "; ls " + storageRoot.toAbsolutePath() + "/home"), Map.of()));

        assertThat(log).doesNotContain(secret).doesNotContain("<artifactId>").contains("No such file");
        assertThat(log.lines().filter(line -> !line.contains("No such file")).toList()).containsExactly(USER);
    }

    @Test
    void aSessionCannotReadAnotherUsersSessionFolder() throws Exception {
        Assumptions.assumeTrue(Fences.sandboxWorks(), "without the sandbox all sessions share the session account");
        String secret = "canary-bobs-results-" + TaskSender.id("r");
        Path bobs = tasks.absolute(tasks.folder("bob", TaskSender.id("exec")));
        Files.writeString(bobs.resolve("results.txt"), secret);
        // As bob's own session would have left it: handed to the session account, readable by everyone.
        Files.setPosixFilePermissions(bobs.resolve("results.txt"), PosixFilePermissions.fromString("rw-r--r--"));

        String log = endedLog(tasks.headless(USER, "sh", List.of("-c", "cat " + bobs.resolve("results.txt")
                + "; ls " + bobs.getParent()), Map.of()));

        assertThat(log).doesNotContain(secret).contains("No such file");
    }

    @Test
    void aSessionSeesNothingOfTheAdaptersEnvironmentNotEvenThroughProc() {
        Assumptions.assumeTrue(Fences.adapterIsRoot() || Fences.sandboxWorks(), "neither account nor sandbox fence here");
        long adapter = ProcessHandle.current().pid();

        String log = endedLog(tasks.headless(USER, "sh", List.of("-c", "env; cat /proc/" + adapter + "/environ; "
                + "tr '\\0' '\\n' < /proc/" + adapter + "/environ"), Map.of()));

        assertThat(log).doesNotContain(adapterSecret()).doesNotContain("ORRERY_DB_PASSWORD");
    }

    @Test
    void anEmailLikeUserHasSessionsOfTheirOwnEndToEnd() throws Exception {
        String user = "alice.smith+orrery@example.org";
        String executionId = TaskSender.id("exec");
        LaunchTask task = new LaunchTask(TaskSender.id("launch"), executionId, user, user + "'s analysis",
                TaskSender.IMAGE, SessionKind.headless, 1, 1, "touch", List.of("done"), Map.of(),
                tasks.folder(user, executionId));

        tasks.launch(task);

        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Succeeded);
        assertThat(tasks.absolute(task.workdir()).resolve("done")).exists();
        given().auth().oauth2(JwtTestResource.token(user)).get("/api/v1/sessions/{id}", sessionId).then()
                .statusCode(200).body("user", equalTo(user)).body("name", equalTo("alice-smith-orrery-example-org-s-analysi"))
                .body("workdir", equalTo("home/" + user + "/broker/" + executionId));
        given().auth().oauth2(JwtTestResource.token(user)).queryParam("executionId", executionId).get("/api/v1/sessions")
                .then().statusCode(200).body("id", equalTo(List.of(sessionId)));
        given().auth().oauth2(JwtTestResource.token("alice.smith")).get("/api/v1/sessions/{id}", sessionId).then()
                .statusCode(404);
    }

    @Test
    void aCommandThatFailsIsReportedFailedWithItsExitStatus() {
        LaunchTask task = tasks.headless(USER, "ls", List.of("no-such-file"), Map.of());

        tasks.launch(task);

        String sessionId = sessionOf(task);
        SessionEvent failed = events.awaitSession(sessionId, SessionStatus.Failed);
        assertThat(failed.exitStatus()).isEqualTo(2);
        assertThat(failed.message()).contains("exited with status 2");
        given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}/logs", sessionId)
                .then().statusCode(200).body(containsString("no-such-file"));
    }

    @Test
    void aSessionThatHangsIsDeletedWithTermThenKillAfterTheGracePeriod() {
        // env --ignore-signal=TERM: the command shrugs off SIGTERM, so only SIGKILL ends it.
        LaunchTask task = tasks.headless(USER, "env", List.of("--ignore-signal=TERM", "sleep", "600"), Map.of());
        tasks.launch(task);
        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Running);
        long pid = commandPid(sessionId);
        // Everything the session started, sandbox included, down to the sleeping command.
        List<ProcessHandle> tree = await().atMost(EventLog.PATIENCE).until(() -> tree(pid), all -> all.stream()
                .anyMatch(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false)));

        DeleteTask delete = tasks.delete(sessionId);

        assertThat(events.awaitTask(delete.taskId(), TaskState.RUNNING).sequence()).isEqualTo(1);
        events.awaitSession(sessionId, SessionStatus.Terminating);
        TaskEvent done = events.awaitFinal(delete.taskId());
        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        DeleteResult result = codec.mapper().convertValue(done.result(), DeleteResult.class);
        assertThat(result).isEqualTo(new DeleteResult(sessionId, SessionStatus.Terminated, 137));
        assertThat(events.awaitSession(sessionId, SessionStatus.Terminated).message()).contains("SIGKILL");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        await().atMost(EventLog.PATIENCE).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aSessionDeletedThroughTheApiEndsOnSigterm() {
        String sessionId = running(tasks.headless(USER, "sleep", List.of("600"), Map.of()));

        given().auth().oauth2(JwtTestResource.token(USER)).delete("/api/v1/sessions/{id}", sessionId).then().statusCode(202)
                .body("status", equalTo("Terminating")).body("deleting", equalTo(true));

        SessionEvent terminated = events.awaitSession(sessionId, SessionStatus.Terminated);
        assertThat(terminated.exitStatus()).isEqualTo(143);
        assertThat(terminated.message()).contains("SIGTERM");
    }

    @Test
    void aSessionKilledMidRunIsReportedFailedWithTheSignal() {
        String sessionId = running(tasks.headless(USER, "sleep", List.of("600"), Map.of()));

        ProcessHandle.of(commandPid(sessionId)).orElseThrow().destroyForcibly();

        SessionEvent failed = events.awaitSession(sessionId, SessionStatus.Failed);
        assertThat(failed.exitStatus()).isEqualTo(137);
        assertThat(failed.message()).contains("killed by signal 9 (SIGKILL)");
    }

    @Test
    void aRedeliveredLaunchMakesNoSecondSession() {
        LaunchTask task = tasks.headless(USER, "sleep", List.of("600"), Map.of());
        String sessionId = running(task);

        tasks.resend(task);

        await().atMost(EventLog.PATIENCE).until(() -> events.tasks(task.taskId()).stream()
                .filter(t -> t.state() == TaskState.COMPLETED).count() == 2);
        assertThat(events.tasks(task.taskId()).stream().filter(t -> t.state() == TaskState.COMPLETED)
                .map(t -> codec.mapper().convertValue(t.result(), LaunchResult.class).sessionId()))
                .containsOnly(sessionId);
        given().auth().oauth2(JwtTestResource.token(USER)).queryParam("executionId", task.executionId()).get("/api/v1/sessions")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(sessionId));
        given().auth().oauth2(JwtTestResource.token(USER)).delete("/api/v1/sessions/{id}", sessionId).then().statusCode(202);
        events.awaitSession(sessionId, SessionStatus.Terminated);
    }

    @Test
    void deletingASessionThatIsGoneOrUnknownSucceeds() {
        LaunchTask task = tasks.headless(USER, "true", List.of(), Map.of());
        tasks.launch(task);
        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Succeeded);

        DeleteTask ended = tasks.delete(sessionId);
        DeleteTask unknown = tasks.delete("nosuchsession");

        TaskEvent endedReport = events.awaitFinal(ended.taskId());
        assertThat(endedReport.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(codec.mapper().convertValue(endedReport.result(), DeleteResult.class))
                .isEqualTo(new DeleteResult(sessionId, SessionStatus.Succeeded, 0));
        TaskEvent unknownReport = events.awaitFinal(unknown.taskId());
        assertThat(unknownReport.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(codec.mapper().convertValue(unknownReport.result(), DeleteResult.class))
                .isEqualTo(new DeleteResult("nosuchsession", SessionStatus.Terminated, null));
    }

    @Test
    void aNotebookSessionExecutesTheNotebookWithJupyter() throws Exception {
        Jupyter.assumeInstalled();
        LaunchTask plain = tasks.headless(USER, "true", List.of(), Map.of());
        Path folder = tasks.absolute(plain.workdir());
        Files.writeString(folder.resolve("answer.ipynb"), """
                {"cells": [{"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {}, "outputs": [],
                            "source": ["print(6 * 7)"]}],
                 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                 "nbformat": 4, "nbformat_minor": 5}""");
        LaunchTask notebook = new LaunchTask(plain.taskId(), plain.executionId(), USER, "notebook", plain.image(),
                SessionKind.notebook, 1, 2, null, List.of(), Map.of(), plain.workdir());

        tasks.launch(notebook);

        String sessionId = sessionOf(notebook);
        SessionEvent ended = events.awaitSession(sessionId, e -> e.status().isFinal(), "ended");
        assertThat(ended.status()).as(log(sessionId)).isEqualTo(SessionStatus.Succeeded);
        assertThat(Files.readString(folder.resolve("answer-executed.ipynb"))).contains("42");
    }

    @Test
    void sessionsGetTheCoresAndMemoryTheyAskedFor() throws Exception {
        String executionId = TaskSender.id("exec");
        LaunchTask memory = new LaunchTask(TaskSender.id("launch"), executionId, USER, "limits", TaskSender.IMAGE,
                orrery.model.canfar.SessionKind.headless, 1, 2, "prlimit",
                List.of("--data", "--raw", "--noheadings", "--output=SOFT"), Map.of(), tasks.folder(USER, executionId));
        LaunchTask cores = tasks.headless(USER, "nproc", List.of(), Map.of());

        tasks.launch(memory);
        tasks.launch(cores);

        String memorySession = sessionOf(memory);
        String coresSession = sessionOf(cores);
        events.awaitSession(memorySession, SessionStatus.Succeeded);
        events.awaitSession(coresSession, SessionStatus.Succeeded);
        assertThat(log(memorySession).trim()).isEqualTo(Long.toString(2L * 1024 * 1024 * 1024));
        assertThat(log(coresSession).trim()).isEqualTo("1");
    }

    /** Launches the task and returns what its session printed once it ended. */
    private String endedLog(LaunchTask task) {
        tasks.launch(task);
        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, e -> e.status().isFinal(), "ended");
        return log(sessionId);
    }

    private static List<ProcessHandle> tree(long pid) {
        return ProcessHandle.of(pid).map(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p),
                p.descendants()).toList()).orElse(List.of());
    }

    /** A secret of the adapter's own environment (surefire sets it, see pom.xml) that no session may see. */
    private static String adapterSecret() {
        String secret = System.getenv("ORRERY_DB_PASSWORD");
        assertThat(secret).as("ORRERY_DB_PASSWORD in the tests' environment (pom.xml)").startsWith("canary-");
        return secret;
    }

    /** Launches the task and waits until its session runs. */
    private String running(LaunchTask task) {
        tasks.launch(task);
        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Running);
        return sessionId;
    }

    private String log(String sessionId) {
        return given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}/logs", sessionId)
                .then().statusCode(200).extract().asString();
    }


    private long commandPid(String sessionId) {
        Path pidFile = runDir.resolve(sessionId).resolve("pid");
        String text = await().atMost(EventLog.PATIENCE).ignoreExceptions()
                .until(() -> Files.readString(pidFile, StandardCharsets.UTF_8), t -> !t.isBlank());
        return Long.parseLong(text.trim().split("\\s+")[0]);
    }
}
