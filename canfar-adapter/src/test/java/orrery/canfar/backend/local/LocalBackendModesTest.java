package orrery.canfar.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import orrery.canfar.backend.BlockingCalls;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.backend.SessionRef;
import orrery.canfar.domain.Observation;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.time.SystemTimeSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local backend on its own, in both ways of recording exit statuses: the supervisor JVM, and
 * direct (what a native executable uses), with real processes.
 */
class LocalBackendModesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    private final SystemTimeSource time = new SystemTimeSource();

    @AfterEach
    void stopClock() {
        time.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "direct"})
    void recordsHowACommandEnded(String supervisor) throws Exception {
        LocalBackend backend = backend(supervisor);
        Path folder = Files.createDirectories(temp.resolve("storage/home/alice/s1"));

        SessionRef ok = launch(backend, "ok", "touch", List.of("done"));
        SessionRef failing = launch(backend, "failing", "ls", List.of("missing"));

        Observation okEnd = awaitEnd(backend, ok);
        Observation failingEnd = awaitEnd(backend, failing);
        assertThat(okEnd.status()).isEqualTo(SessionStatus.Succeeded);
        assertThat(okEnd.exitStatus()).isZero();
        assertThat(okEnd.startTime()).isNotNull();
        assertThat(folder.resolve("done")).exists();
        assertThat(failingEnd.status()).isEqualTo(SessionStatus.Failed);
        assertThat(failingEnd.exitStatus()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "direct"})
    void terminatesTheWholeProcessGroup(String supervisor) throws Exception {
        LocalBackend backend = backend(supervisor);
        Files.createDirectories(temp.resolve("storage/home/alice/s1"));
        SessionRef session = launch(backend, "sleeper", "sleep", List.of("600"));
        await().atMost(PATIENCE).until(() -> observe(backend, session).status() == SessionStatus.Running);

        backend.terminate(session).await().atMost(PATIENCE);

        Observation end = awaitEnd(backend, session);
        assertThat(end.exitStatus()).isEqualTo(143);
        assertThat(end.message()).contains("SIGTERM");
    }

    private SessionRef launch(LocalBackend backend, String id, String cmd, List<String> args) {
        backend.launch(new LaunchSpec(id, "e1", "alice", id, "images.canfar.net/x:1", SessionKind.headless, 1, 1, cmd,
                args, Map.of(), "home/alice/s1")).await().atMost(PATIENCE);
        return new SessionRef(id, id, "alice", id, "images.canfar.net/x:1", Instant.EPOCH);
    }

    private Observation awaitEnd(LocalBackend backend, SessionRef session) {
        return await().atMost(PATIENCE).until(() -> observe(backend, session), seen -> seen.status() != null
                && seen.status().isFinal());
    }

    private static Observation observe(LocalBackend backend, SessionRef session) {
        return backend.observe(session).await().atMost(PATIENCE);
    }

    private LocalBackend backend(String supervisor) {
        return new LocalBackend(TestConfigs.canfar(TestConfigs.Local.of(temp.resolve("sessions-" + supervisor), supervisor)),
                temp.resolve("storage"), new BlockingCalls(), time, new HostAccounts(System.getenv("PATH")));
    }
}
