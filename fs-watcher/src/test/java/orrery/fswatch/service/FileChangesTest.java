package orrery.fswatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.model.envelope.Envelope;
import orrery.model.fs.FsChangeKind;
import orrery.model.fs.FsEvent;
import orrery.model.messaging.MessageTypes;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

/** Real files in temporary trees, watched through the REST API, events read back from JetStream. */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
@WithTestResource(JwtTestResource.class)
class FileChangesTest extends WatcherTestBase {

    @Test
    void existingFilesAreCreatedOnceInEnvelopesOfTheEventsStream() throws Exception {
        Tree tree = newTree("initial");
        tree.write("a.txt", "alpha");
        tree.write("sub/b.txt", "beta");
        tree.write(".git/config", "ignored");
        tree.write("target/classes/x.class", "ignored");

        FsEventStream stream = watch(tree);

        List<FsEvent> events = fence(tree, stream);
        assertThat(events).extracting(FsEvent::path, FsEvent::kind, FsEvent::sha256).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("a.txt", FsChangeKind.CREATED, sha("alpha")),
                org.assertj.core.groups.Tuple.tuple("sub/b.txt", FsChangeKind.CREATED, sha("beta")));
        Envelope envelope = stream.envelopes().get(0);
        assertThat(envelope.type()).isEqualTo(MessageTypes.FS_EVENT);
        assertThat(envelope.subject()).isEqualTo("events.fs." + tree.name());
        assertThat(envelope.source()).isEqualTo("fs-watcher");
        assertThat(events.get(0).root()).isEqualTo(tree.name());
    }

    @Test
    void anEditorStyleSaveIsOneModification() throws Exception {
        Tree tree = newTree("editor");
        tree.write("notes.txt", "first draft\n");
        FsEventStream stream = watch(tree);
        stream.await("created", event -> event.path().equals("notes.txt"));

        Path temp = tree.write("notes.txt.part-4913", "second draft\n");
        Files.move(temp, tree.path("notes.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        FsEvent modified = stream.await("modified", event -> event.kind() == FsChangeKind.MODIFIED);
        assertThat(modified.path()).isEqualTo("notes.txt");
        assertThat(modified.sha256()).isEqualTo(sha("second draft\n"));
        assertThat(modified.previousSha256()).isEqualTo(sha("first draft\n"));
        assertThat(fence(tree, stream)).extracting(FsEvent::path, FsEvent::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("notes.txt", FsChangeKind.CREATED),
                org.assertj.core.groups.Tuple.tuple("notes.txt", FsChangeKind.MODIFIED));
    }

    @Test
    void aSlowWriterIsReportedOnceAfterItSettlesAndANeverEndingOneWithinTheMaximumLatency() throws Exception {
        Tree tree = newTree("slow");
        FsEventStream stream = watch(tree, Map.of("quietPeriod", "PT0.3S", "maxLatency", "PT4S"));
        ScheduledExecutorService writers = Executors.newScheduledThreadPool(2);
        try {
            // 25 appends, 100 ms apart: never quiet for 300 ms until done, done well within the 4 s maximum.
            AtomicInteger chunks = new AtomicInteger();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 25; i++) {
                expected.append("chunk ").append(i).append('\n');
            }
            writers.scheduleAtFixedRate(() -> {
                int i = chunks.getAndIncrement();
                if (i < 25) {
                    append(tree.path("slow.dat"), "chunk " + i + "\n");
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            // A writer that never stops: only the maximum latency can report it.
            writers.scheduleAtFixedRate(() -> append(tree.path("endless.dat"), "tick\n"), 0, 100, TimeUnit.MILLISECONDS);

            FsEvent endless = stream.await("endless file reported while still written",
                    event -> event.path().equals("endless.dat"));
            assertThat(endless.kind()).isEqualTo(FsChangeKind.CREATED);

            FsEvent slow = stream.await("slow file", event -> event.path().equals("slow.dat"));
            assertThat(chunks.get()).as("all chunks written before the file was reported").isGreaterThanOrEqualTo(25);
            assertThat(slow.sha256()).isEqualTo(sha(expected.toString()));
            assertThat(slow.size()).isEqualTo(expected.length());
        } finally {
            writers.shutdownNow();
            writers.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(fence(tree, stream).stream().filter(event -> event.path().equals("slow.dat")))
                .as("the slow file once only").hasSize(1);
    }

    @Test
    void aTouchWithoutChangePublishesNothing() throws Exception {
        Tree tree = newTree("touch");
        Path file = tree.write("data.csv", "1,2,3\n");
        FsEventStream stream = watch(tree);
        stream.await("created", event -> event.path().equals("data.csv"));

        FileTime later = FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 60_000);
        Files.setLastModifiedTime(file, later);

        awaitIndexedMtime(tree, "data.csv", later.toInstant().toString());
        assertThat(fence(tree, stream)).extracting(FsEvent::kind).containsExactly(FsChangeKind.CREATED);
    }

    @Test
    void anIdenticalRewritePublishesNothing() throws Exception {
        Tree tree = newTree("rewrite");
        Path file = tree.write("same.txt", "unchanged content\n");
        FsEventStream stream = watch(tree);
        stream.await("created", event -> event.path().equals("same.txt"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(0));
        String before = indexedMtime(tree, "same.txt");
        await().atMost(FsEventStream.PATIENCE).until(() -> !indexedMtime(tree, "same.txt").equals("1970-01-01T00:00:00Z"));

        Files.writeString(file, "unchanged content\n");
        String rewritten = Files.getLastModifiedTime(file).toInstant().toString();

        awaitIndexedMtime(tree, "same.txt", rewritten);
        assertThat(before).isNotEqualTo(rewritten);
        assertThat(fence(tree, stream)).extracting(FsEvent::path, FsEvent::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("same.txt", FsChangeKind.CREATED));
    }

    @Test
    void aDeepTreeCreatedAtOnceIsSeenToTheBottom() throws Exception {
        Tree tree = newTree("deep");
        FsEventStream stream = watch(tree);

        StringBuilder path = new StringBuilder();
        for (int depth = 1; depth <= 12; depth++) {
            path.append("level").append(depth).append('/');
            tree.write(path + "file" + depth + ".txt", "depth " + depth);
        }

        await().atMost(FsEventStream.PATIENCE).until(() -> stream.events().size() >= 12);
        List<FsEvent> events = fence(tree, stream);
        assertThat(events).hasSize(12).allMatch(event -> event.kind() == FsChangeKind.CREATED);
        assertThat(events).extracting(FsEvent::path).contains(path + "file12.txt", "level1/file1.txt");
    }

    @Test
    void aMovedFolderIsReportedAsMovesOfItsFiles() throws Exception {
        Tree tree = newTree("move");
        tree.write("src/pkg/a.txt", "a");
        tree.write("src/pkg/deeper/b.txt", "b");
        FsEventStream stream = watch(tree);
        await().atMost(FsEventStream.PATIENCE).until(() -> stream.events().size() == 2);

        Files.createDirectories(tree.path("dst"));
        Files.move(tree.path("src/pkg"), tree.path("dst/renamed"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(FsEventStream.PATIENCE).until(() -> stream.events().size() >= 4);
        List<FsEvent> events = fence(tree, stream);
        assertThat(events.subList(2, events.size())).extracting(FsEvent::kind, FsEvent::from, FsEvent::path, FsEvent::sha256)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(FsChangeKind.MOVED, "src/pkg/a.txt", "dst/renamed/a.txt", sha("a")),
                        org.assertj.core.groups.Tuple.tuple(FsChangeKind.MOVED, "src/pkg/deeper/b.txt",
                                "dst/renamed/deeper/b.txt", sha("b")));

        // The moved folder is watched under its new name.
        tree.write("dst/renamed/deeper/c.txt", "c");
        stream.await("file in moved folder", event -> event.path().equals("dst/renamed/deeper/c.txt"));
    }

    @Test
    void aDeletionIsReportedWithTheLastHash() throws Exception {
        Tree tree = newTree("delete");
        Path file = tree.write("gone.txt", "soon gone");
        tree.write("folder/one.txt", "1");
        FsEventStream stream = watch(tree);
        await().atMost(FsEventStream.PATIENCE).until(() -> stream.events().size() == 2);

        Files.delete(file);
        Files.delete(tree.path("folder/one.txt"));
        Files.delete(tree.path("folder"));

        FsEvent deleted = stream.await("deleted", event -> event.kind() == FsChangeKind.DELETED
                && event.path().equals("gone.txt"));
        assertThat(deleted.previousSha256()).isEqualTo(sha("soon gone"));
        assertThat(deleted.sha256()).isNull();
        stream.await("folder content deleted", event -> event.kind() == FsChangeKind.DELETED
                && event.path().equals("folder/one.txt"));
        asUser().get("/api/v1/roots/" + tree.name() + "/files").then().statusCode(200)
                .body("files.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aRescanWithNothingChangedPublishesNothing() throws Exception {
        Tree tree = newTree("rescan");
        tree.write("x.txt", "x");
        FsEventStream stream = watch(tree);
        stream.await("created", event -> event.path().equals("x.txt"));

        asAdmin().post("/api/v1/roots/" + tree.name() + "/rescan").then().statusCode(202);

        assertThat(fence(tree, stream)).hasSize(1);
    }

    @Test
    void aRootWhoseFolderIsDeletedFailsAndSaysSo() throws Exception {
        Tree tree = newTree("vanishing");
        tree.write("only.txt", "x");
        FsEventStream stream = watch(tree);
        stream.await("created", event -> event.path().equals("only.txt"));

        Files.delete(tree.path("only.txt"));
        Files.delete(tree.folder());

        awaitState(tree, "FAILED");
        asUser().get("/api/v1/roots/" + tree.name()).then().body("error",
                org.hamcrest.Matchers.containsString("was deleted or moved away"));
    }

    private void awaitIndexedMtime(Tree tree, String path, String mtime) {
        await("index of " + path + " at " + mtime).atMost(FsEventStream.PATIENCE)
                .until(() -> indexedMtime(tree, path).equals(mtime));
    }

    private static String indexedMtime(Tree tree, String path) {
        return asUser().queryParam("prefix", path).get("/api/v1/roots/" + tree.name() + "/files")
                .then().statusCode(200).extract().jsonPath().getString("files[0].mtime");
    }

}
