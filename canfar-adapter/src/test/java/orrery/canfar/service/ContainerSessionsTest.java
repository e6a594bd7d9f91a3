package orrery.canfar.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import orrery.canfar.AdapterTest;
import orrery.canfar.EventLog;
import orrery.canfar.TaskSender;
import orrery.canfar.backend.local.Fences;
import orrery.model.canfar.CanfarQuote;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.DeleteTask;
import orrery.model.canfar.LaunchTask;
import orrery.model.canfar.SessionEvent;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.canfar.VolumeMount;
import orrery.model.messaging.MessageTypes;
import orrery.model.messaging.Subjects;
import orrery.model.task.TaskEvent;
import orrery.model.task.TaskState;
import orrery.support.messaging.NatsRequestReply;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PodmanTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Container sessions on the local backend with a real podman and an image of the test's own
 * ({@link PodmanTestResource}: busybox, imported, since no registry is reachable here): the image's
 * program runs with the session folder as /session, as the session account, to its exit status;
 * a pinned digest is honoured; an image that is not here is refused at the quote and at the launch
 * with what to do; a delete ends the container and removes it.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(PodmanTestResource.class)
class ContainerSessionsTest extends AdapterTest {

    private static final String USER = "alice";
    private static final String MISSING = "test.registry/orrery/not-here:1";

    @Inject
    NatsRequestReply requests;

    @BeforeEach
    void needsPodman() {
        PodmanTestResource.assumeInstalled();
    }

    @Test
    void theImagesProgramRunsInTheSessionFolderAsTheSessionAccount() throws IOException {
        LaunchTask task = container(PodmanTestResource.IMAGE, "/bin/sh",
                List.of("-c", "cat input.txt; echo \"$GREETING from $(pwd) as $(id -u)\"; echo made > output.txt"),
                Map.of("GREETING", "hello"));
        Path folder = tasks.absolute(task.workdir());
        Files.writeString(folder.resolve("input.txt"), "staged data\n");
        folder.resolve("input.txt").toFile().setReadable(true, false);

        tasks.launch(task);

        String sessionId = sessionOf(task);
        SessionEvent succeeded = events.awaitSession(sessionId, SessionStatus.Succeeded);
        assertThat(succeeded.exitStatus()).isZero();
        String log = logOf(sessionId);
        assertThat(log).contains("staged data").contains("hello from /session as "
                + (Fences.adapterIsRoot() ? "65534" : ""));
        Path output = folder.resolve("output.txt");
        assertThat(output).hasContent("made");
        if (Fences.adapterIsRoot()) {
            assertThat(Files.getOwner(output).getName()).isEqualTo("nobody");
        }
    }

    @Test
    void aMountedFileIsAtItsPathReadOnlyUnlessAskedOtherwise() throws IOException {
        String executionId = TaskSender.id("exec");
        String workdir = tasks.folder(USER, executionId);
        Path folder = tasks.absolute(workdir);
        Files.writeString(folder.resolve("obs.fits"), "observation\n");
        Files.writeString(folder.resolve("notes.txt"), "notes\n");
        LaunchTask task = new LaunchTask(TaskSender.id("launch"), executionId, USER, "mounts", PodmanTestResource.IMAGE,
                SessionKind.container, 1, 1, "/bin/sh", List.of("-c", "cat /input/obs.fits; echo more >> /input/obs.fits "
                + "|| echo read-only; echo more >> /work/notes.txt && echo writable"), Map.of(), workdir, null,
                List.of(new VolumeMount("obs.fits", "/input/obs.fits", true), new VolumeMount("notes.txt", "/work/notes.txt", false)));

        tasks.launch(task);

        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Succeeded);
        assertThat(logOf(sessionId)).contains("observation").contains("read-only").contains("writable");
        assertThat(folder.resolve("obs.fits")).hasContent("observation");
        assertThat(folder.resolve("notes.txt")).hasContent("notes\nmore");
    }

    @Test
    void aMountOfAFileThatIsNotStagedFailsTheLaunchSayingSo() {
        String executionId = TaskSender.id("exec");
        LaunchTask task = new LaunchTask(TaskSender.id("launch"), executionId, USER, "mounts", PodmanTestResource.IMAGE,
                SessionKind.container, 1, 1, null, List.of(), Map.of(), tasks.folder(USER, executionId), null,
                List.of(new VolumeMount("missing.fits", "/input/missing.fits", true)));

        tasks.launch(task);

        TaskEvent refused = events.awaitFinal(task.taskId());
        assertThat(refused.state()).isEqualTo(TaskState.FAILED);
        assertThat(refused.reason()).contains("'missing.fits' is not a file of the session folder");
    }

    @Test
    void theSuitesFilesAreNotInTheContainer() {
        LaunchTask task = container(PodmanTestResource.IMAGE, "/bin/sh",
                List.of("-c", "ls / ; ls " + storageRoot.toAbsolutePath() + " 2>&1; env"), Map.of());

        tasks.launch(task);

        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Succeeded);
        String log = logOf(sessionId);
        assertThat(log).contains("No such file or directory").contains("ORRERY_WORKDIR=/session")
                .doesNotContain("PGPASSWORD").doesNotContain("CONTAINERS_CONF");
    }

    @Test
    void aPinnedDigestRunsAndAFailingProgramIsReportedWithItsExitStatus() {
        LaunchTask task = container(PodmanTestResource.IMAGE + "@" + PodmanTestResource.digest(), "/bin/sh",
                List.of("-c", "echo pinned; exit 3"), Map.of());

        tasks.launch(task);

        String sessionId = sessionOf(task);
        SessionEvent failed = events.awaitSession(sessionId, SessionStatus.Failed);
        assertThat(failed.exitStatus()).isEqualTo(3);
        assertThat(logOf(sessionId)).contains("pinned");
    }

    @Test
    void anImageThatIsNotHereIsRefusedAtTheQuoteAndAtTheLaunchSayingWhatToDo() {
        CanfarQuote here = ask(new CanfarQuoteRequest(PodmanTestResource.IMAGE, SessionKind.container, 1, 1));
        CanfarQuote missing = ask(new CanfarQuoteRequest(MISSING, SessionKind.container, 1, 1));
        CanfarQuote otherDigest = ask(new CanfarQuoteRequest(PodmanTestResource.IMAGE + "@sha256:" + "0".repeat(64),
                SessionKind.container, 1, 1));

        assertThat(here.feasible()).isTrue();
        assertThat(missing.feasible()).isFalse();
        assertThat(missing.reason()).contains("not on this machine").contains("podman pull " + MISSING);
        assertThat(otherDigest.feasible()).isFalse();

        LaunchTask task = container(MISSING, null, List.of(), Map.of());
        tasks.launch(task);
        TaskEvent refused = events.awaitFinal(task.taskId());
        assertThat(refused.state()).isEqualTo(TaskState.FAILED);
        assertThat(refused.reason()).contains("not on this machine");
    }

    @Test
    void aDeleteEndsTheContainerAndRemovesIt() {
        LaunchTask task = container(PodmanTestResource.IMAGE, "/bin/sleep", List.of("600"), Map.of());
        tasks.launch(task);
        String sessionId = sessionOf(task);
        events.awaitSession(sessionId, SessionStatus.Running);
        String name = "orrery-" + sessionId;
        await().atMost(EventLog.PATIENCE).until(() -> podmanPs().contains(name));

        DeleteTask delete = tasks.delete(sessionId);

        assertThat(events.awaitFinal(delete.taskId()).state()).isEqualTo(TaskState.COMPLETED);
        await().atMost(EventLog.PATIENCE).until(() -> !podmanPs().contains(name));
    }

    private LaunchTask container(String image, String entrypoint, List<String> command, Map<String, String> env) {
        String executionId = TaskSender.id("exec");
        return new LaunchTask(TaskSender.id("launch"), executionId, USER, "container", image, SessionKind.container, 1, 1,
                entrypoint, command, env, tasks.folder(USER, executionId));
    }

    private String logOf(String sessionId) {
        return given().auth().oauth2(JwtTestResource.token(USER)).get("/api/v1/sessions/{id}/logs", sessionId)
                .then().statusCode(200).extract().asString();
    }

    private CanfarQuote ask(CanfarQuoteRequest request) {
        return requests.request(Subjects.QUOTE_CANFAR, MessageTypes.CANFAR_QUOTE, request, null, Duration.ofSeconds(30),
                CanfarQuote.class).await().atMost(Duration.ofSeconds(30));
    }

    private static String podmanPs() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("podman", "ps", "--all", "--format", "{{.Names}}")
                .redirectErrorStream(true);
        builder.environment().put("CONTAINERS_CONF", PodmanTestResource.conf().toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }
}
