package orrery.canfar.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import orrery.canfar.backend.BlockingCalls;
import orrery.canfar.backend.Feasibility;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.backend.SessionRef;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.domain.Observation;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.problem.ProblemException;
import orrery.model.time.SystemTimeSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which account a local session runs under, decided per launch: a root adapter drops to the session
 * account; an adapter that is that account runs sessions as it is; any other adapter refuses, naming
 * the setup, unless isolation is explicitly off. Adapters of other accounts are pretended (the
 * accounts' lookups are real); the sessions that do start are real processes.
 */
class LocalFenceTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String IMAGE = "images.canfar.net/x:1";

    @TempDir
    Path temp;

    private final SystemTimeSource time = new SystemTimeSource();
    private Path folder;

    @BeforeEach
    void folder() throws Exception {
        folder = Files.createDirectories(temp.resolve("storage/home/alice/s1"));
    }

    @AfterEach
    void stopClock() {
        time.close();
    }

    @Test
    void anOrdinaryAdapterThatIsNotTheSessionAccountRefusesNamingTheSetupAndTheOptOut() {
        LocalBackend backend = backend(local(), 1000);

        assertThatThrownBy(() -> launch(backend, "refused", "true"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("runs as uid 1000")
                .hasMessageContaining("run the adapter as root")
                .hasMessageContaining("ORRERY_CANFAR_LOCAL_ISOLATION=none")
                .hasMessageContaining("README");
        assertThat(Files.exists(temp.resolve("sessions/refused/supervisor.pid"))).isFalse();
        Feasibility quote = backend.feasibility(new CanfarQuoteRequest(IMAGE, SessionKind.headless, 1, 1))
                .await().atMost(PATIENCE);
        assertThat(quote.feasible()).isFalse();
        assertThat(quote.reason()).contains("ORRERY_CANFAR_LOCAL_ISOLATION=none");
    }

    @Test
    void aMissingSessionAccountIsRefusedWithTheLineThatCreatesIt() {
        LocalBackend backend = backend(local().withSessionUser("orrery-no-such-account", Optional.empty()), 0);

        assertThatThrownBy(() -> launch(backend, "noaccount", "true"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("'orrery-no-such-account'")
                .hasMessageContaining("useradd --system --user-group --no-create-home --home-dir /nonexistent "
                        + "--shell /usr/sbin/nologin orrery-no-such-account");
    }

    @Test
    void aMissingSessionGroupIsRefusedToo() {
        LocalBackend backend = backend(local().withSessionUser("nobody", Optional.of("orrery-no-such-group")), 0);

        assertThatThrownBy(() -> launch(backend, "nogroup", "true"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("group 'orrery-no-such-group'");
    }

    @Test
    void theSessionAccountMayNotBeRoot() {
        LocalBackend backend = backend(local().withSessionUser("root", Optional.empty()), 0);

        assertThatThrownBy(() -> launch(backend, "asroot", "true"))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("is root");
    }

    @Test
    void withIsolationOffAnOrdinaryAdapterRunsSessionsUnderItsOwnAccount() throws Exception {
        long realUid = new HostAccounts(System.getenv("PATH")).adapterUid();
        LocalBackend backend = backend(local().withIsolation(CanfarConfig.Isolation.none), 1000);

        SessionRef session = launch(backend, "optout", "id", "-u");

        assertThat(awaitEnd(backend, session).status()).isEqualTo(SessionStatus.Succeeded);
        assertThat(output("optout").trim()).isEqualTo(Long.toString(realUid));
    }

    @Test
    void anAdapterRunningAsTheSessionAccountRunsSessionsAsItIs() throws Exception {
        long realUid = new HostAccounts(System.getenv("PATH")).adapterUid();
        LocalBackend backend = backend(local(), 65534);

        SessionRef session = launch(backend, "itself", "id", "-u");

        assertThat(awaitEnd(backend, session).status()).isEqualTo(SessionStatus.Succeeded);
        // No switch was made (the adapter pretends to be nobody already): the command runs with its real uid.
        assertThat(output("itself").trim()).isEqualTo(Long.toString(realUid));
    }

    @Test
    void aRootAdapterDropsToTheSessionAccountAndHandsItTheFolder() throws Exception {
        Assumptions.assumeTrue(Fences.adapterIsRoot(), "only root can switch accounts");
        Files.writeString(folder.resolve("staged.txt"), "staged by root\n");
        LocalBackend backend = backend(local(), 0);

        SessionRef session = launch(backend, "dropped", "sh", "-c", "id -u; id -g; id -G; cat staged.txt; "
                + "echo more >> staged.txt; grep NoNewPrivs /proc/self/status");

        assertThat(awaitEnd(backend, session).status()).as(output("dropped")).isEqualTo(SessionStatus.Succeeded);
        assertThat(output("dropped").lines().toList())
                .containsExactly("65534", "65534", "65534", "staged by root", "NoNewPrivs:\t1");
        assertThat(Files.getOwner(folder).getName()).isEqualTo("nobody");
        assertThat(folder.resolve("staged.txt")).hasContent("staged by root\nmore\n");
    }

    private TestConfigs.Local local() {
        return TestConfigs.Local.of(temp.resolve("sessions"), "direct").withIsolation(CanfarConfig.Isolation.account);
    }

    private LocalBackend backend(TestConfigs.Local local, long pretendedUid) {
        HostAccounts accounts = new HostAccounts(System.getenv("PATH")) {
            @Override
            long adapterUid() {
                return pretendedUid;
            }
        };
        return new LocalBackend(TestConfigs.canfar(local), temp.resolve("storage"), new BlockingCalls(), time, accounts);
    }

    private SessionRef launch(LocalBackend backend, String id, String cmd, String... args) {
        backend.launch(new LaunchSpec(id, "e1", "alice", id, IMAGE, SessionKind.headless, 1, 1, cmd, List.of(args),
                Map.of(), "home/alice/s1")).await().atMost(PATIENCE);
        return new SessionRef(id, id, "alice", id, IMAGE, Instant.EPOCH);
    }

    private Observation awaitEnd(LocalBackend backend, SessionRef session) {
        return await().atMost(PATIENCE).until(() -> backend.observe(session).await().atMost(PATIENCE),
                seen -> seen.status() != null && seen.status().isFinal());
    }

    private String output(String id) throws Exception {
        return Files.readString(temp.resolve("sessions").resolve(id).resolve(Supervisor.OUTPUT));
    }
}
