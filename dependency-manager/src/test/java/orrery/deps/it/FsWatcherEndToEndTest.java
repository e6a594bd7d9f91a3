package orrery.deps.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import orrery.testsupport.InjectNats;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsServer;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 9's end-to-end test: real files, the real fs-watcher (its jar, as its own process), NATS,
 * PostgreSQL, this service and its shell builder. The builder's own writes come back from the
 * watcher as file events too; they must be recognised and not start builds of their own.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ShellProject.class)
@WithTestResource(JwtTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FsWatcherEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @InjectNats
    NatsServer nats;

    private FsWatcherProcess watcher;

    @BeforeAll
    void startTheWatcher() {
        watcher = FsWatcherProcess.start(nats.url(), ShellProject.ROOT, ShellProject.root());
    }

    @AfterAll
    void stopTheWatcher() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void twoFilesThatIncludeEachOthersDigestReachAFixedPointAndStayThere() throws Exception {
        Files.writeString(ShellProject.root().resolve("a.src"), "alpha\n");
        Files.writeString(ShellProject.root().resolve("b.src"), "beta\n");

        JsonPath a = awaitSettled("proj/a.txt", "UP_TO_DATE", json -> true);
        awaitSettled("proj/b.txt", "UP_TO_DATE", json -> true);
        assertAgree();
        // The watcher reports a.txt as the builder left it; that echo changes nothing.
        String aHash = sha256(ShellProject.root().resolve("a.txt"));
        await("the watcher saw a.txt").atMost(PATIENCE).until(() -> watcherHash("a.txt"), aHash::equals);
        JsonPath after = Api.as("alice").get("/api/v1/artefacts/proj/a.txt").jsonPath();
        assertThat(after.getString("state")).isEqualTo("UP_TO_DATE");
        assertThat(after.getString("lastBuild.buildId")).isEqualTo(a.getString("lastBuild.buildId"));

        // An edit of a source rebuilds the cycle to a new fixed point.
        Files.writeString(ShellProject.root().resolve("a.src"), "alpha, edited\n");
        awaitSettled("proj/a.txt", "UP_TO_DATE",
                json -> !json.getString("lastBuild.buildId").equals(a.getString("lastBuild.buildId")));
        awaitSettled("proj/b.txt", "UP_TO_DATE", json -> true);
        assertThat(Files.readString(ShellProject.root().resolve("a.txt"))).contains("alpha, edited");
        assertAgree();
    }

    @Test
    void twoFilesThatNeverAgreeFailWithAClearReport() throws Exception {
        Files.writeString(ShellProject.root().resolve("c.src"), "gamma\n");
        Files.writeString(ShellProject.root().resolve("d.src"), "delta\n");

        JsonPath c = awaitSettled("proj/c.txt", "FAILED",
                json -> json.getString("lastBuild.failure").contains("did not converge"));

        assertThat(c.getString("lastBuild.failure"))
                .contains("cycle of proj/c.txt, proj/d.txt did not converge after 5 rounds")
                .contains("proj/c.txt and proj/d.txt kept changing");
        JsonPath build = Api.as("alice").get("/api/v1/builds/" + c.getString("lastBuild.buildId")).jsonPath();
        assertThat(build.getString("state")).isEqualTo("FAILED");
        assertThat(build.getInt("steps.find { it.artefact == 'proj/c.txt' }.rounds")).isEqualTo(5);
    }

    /**
     * Issue 13: the local suite's shipped rules ({@code deploy/local/demo-rules.txt}, {@code wc -l $< > $@} and
     * {@code sha256sum $< > $@}) build green: a file dropped into the root goes through the watcher to the graph,
     * both targets are built from the commands' standard output, and they are up to date with what the commands
     * print; an edit rebuilds them.
     */
    @Test
    void theShippedDemoRulesBuildAFileDroppedIntoTheRoot() throws Exception {
        Path notes = ShellProject.root().resolve("notes.txt");
        Files.writeString(notes, "first line\nsecond line\nthird line\n");

        JsonPath lines = awaitSettled("proj/notes.lines", "UP_TO_DATE", json -> true);
        JsonPath digest = awaitSettled("proj/notes.sha256", "UP_TO_DATE", json -> true);

        assertThat(Files.readString(ShellProject.root().resolve("notes.lines"))).isEqualTo("3 notes.txt\n");
        assertThat(Files.readString(ShellProject.root().resolve("notes.sha256"))).isEqualTo(sha256(notes) + "  notes.txt\n");
        assertThat(lines.getString("recipe")).isEqualTo("wc -l $< > $@");
        assertThat(digest.getString("recipe")).isEqualTo("sha256sum $< > $@");
        assertThat(lines.getList("inputs.artefact", String.class)).containsExactly("proj/notes.txt");
        assertThat(lines.getString("sha256")).isEqualTo(sha256(ShellProject.root().resolve("notes.lines")));
        JsonPath build = Api.as("alice").get("/api/v1/builds/" + lines.getString("lastBuild.buildId")).jsonPath();
        assertThat(build.getString("steps.find { it.artefact == 'proj/notes.lines' }.status")).isEqualTo("BUILT");
        try (var left = Files.list(ShellProject.root())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left behind")
                    .noneMatch(name -> name.endsWith(".orrery.tmp"));
        }

        // An edit goes the same way round again.
        Files.writeString(notes, "only one line now\n");
        awaitSettled("proj/notes.lines", "UP_TO_DATE",
                json -> !json.getString("lastBuild.buildId").equals(lines.getString("lastBuild.buildId")));
        awaitSettled("proj/notes.sha256", "UP_TO_DATE", json -> {
            try {
                return (sha256(notes) + "  notes.txt\n").equals(Files.readString(ShellProject.root().resolve("notes.sha256")));
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(Files.readString(ShellProject.root().resolve("notes.lines"))).isEqualTo("1 notes.txt\n");
    }

    private static void assertAgree() throws Exception {
        List<String> a = Files.readAllLines(ShellProject.root().resolve("a.txt"));
        List<String> b = Files.readAllLines(ShellProject.root().resolve("b.txt"));
        assertThat(a.get(0)).isEqualTo("peer-body-digest: " + digest16(body(b)));
        assertThat(b.get(0)).isEqualTo("peer-body-digest: " + digest16(body(a)));
    }

    /** The hash the watcher last published for {@code path}, from the dependency manager's view of the file. */
    private static String watcherHash(String path) {
        return Api.as("alice").get("/api/v1/artefacts/proj/" + path).jsonPath().getString("sha256");
    }

    private JsonPath awaitSettled(String artefact, String state, java.util.function.Predicate<JsonPath> check) {
        return Awaits.settled(artefact, state, check, PATIENCE,
                () -> assertThat(watcher.isAlive()).as("fs-watcher is running; its log:\n" + watcher.log()).isTrue());
    }

    private static String body(List<String> lines) {
        return String.join("\n", lines.subList(1, lines.size())) + "\n";
    }

    private static String digest16(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
