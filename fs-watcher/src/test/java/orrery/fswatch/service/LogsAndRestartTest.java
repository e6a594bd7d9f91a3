package orrery.fswatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import orrery.model.fs.FsChangeKind;
import orrery.model.fs.FsEvent;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
@WithTestResource(JwtTestResource.class)
class LogsAndRestartTest extends WatcherTestBase {

    @Test
    void aGrowingLogIsFollowedLineByLineThroughTruncationAndRotation() throws Exception {
        Tree tree = newTree("logs");
        FsEventStream stream = watch(tree, Map.of("logs", List.of("*.log")));
        Path log = tree.path("run/app.log");
        Files.createDirectories(log.getParent());

        append(log, "one\n");
        FsEvent first = stream.await("first line", event -> event.kind() == FsChangeKind.APPENDED);
        assertThat(first.lines()).containsExactly("one");
        assertThat(first.rangeStart()).isZero();
        assertThat(first.rangeEnd()).isEqualTo(4);
        assertThat(first.sha256()).isNull();

        append(log, "two\nthr");
        stream.await("second line", event -> event.lines() != null && event.lines().contains("two"));
        append(log, "ee\n");
        FsEvent third = stream.await("third line, once complete", event -> event.lines() != null
                && event.lines().contains("three"));
        assertThat(third.rangeStart()).isEqualTo(8);
        assertThat(third.rangeEnd()).isEqualTo(14);

        Files.writeString(log, "new\n", StandardOpenOption.TRUNCATE_EXISTING);
        FsEvent truncated = stream.await("after truncation", event -> event.lines() != null
                && event.lines().contains("new"));
        assertThat(truncated.rangeStart()).as("starts again at 0").isZero();
        assertThat(truncated.rangeEnd()).isEqualTo(4);

        append(log, "last words of the old file\n");
        Files.move(log, tree.path("run/app.log.1"), StandardCopyOption.ATOMIC_MOVE);
        append(log, "fresh\n");
        FsEvent fresh = stream.await("rotated", event -> event.lines() != null && event.lines().contains("fresh"));
        assertThat(fresh.rangeStart()).isZero();
        List<String> lines = new ArrayList<>();
        fence(tree, stream).stream().filter(event -> event.kind() == FsChangeKind.APPENDED)
                .forEach(event -> lines.addAll(event.lines()));
        assertThat(lines).containsExactly("one", "two", "three", "new", "last words of the old file", "fresh");
        assertThat(stream.about("run/app.log.1")).extracting(FsEvent::kind).containsExactly(FsChangeKind.CREATED);
    }

    @Test
    void manySmallAppendsAreBatchedAndCapped() throws Exception {
        Tree tree = newTree("batched");
        FsEventStream stream = watch(tree, Map.of("logs", List.of("*.log")));
        Path log = tree.path("busy.log");

        List<String> written = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            written.add("line " + i);
            append(log, "line " + i + "\n");
        }

        await().atMost(FsEventStream.PATIENCE).until(() -> linesOf(stream).size() >= written.size());
        List<FsEvent> events = stream.about("busy.log");
        assertThat(linesOf(stream)).containsExactlyElementsOf(written);
        assertThat(events.size()).as("batched: far fewer events than appends").isLessThan(written.size() / 10);
        assertThat(events).allSatisfy(event -> assertThat(event.lines()).hasSizeLessThanOrEqualTo(1000));
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).rangeStart()).as("ranges follow each other").isEqualTo(events.get(i - 1).rangeEnd());
        }
    }

    @Test
    void changesMadeWhileNotWatchedArePublishedOnRestart() throws Exception {
        Tree tree = newTree("restart");
        tree.write("kept.txt", "kept");
        tree.write("changed.txt", "before");
        tree.write("removed.txt", "removed");
        tree.write("moved/from.txt", "travels");
        FsEventStream stream = watch(tree);
        await().atMost(FsEventStream.PATIENCE).until(() -> stream.events().size() == 4);

        asAdmin().delete("/api/v1/roots/" + tree.name()).then().statusCode(204);
        asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(404);
        tree.write("changed.txt", "after");
        Files.delete(tree.path("removed.txt"));
        tree.write("added.txt", "new");
        Files.createDirectories(tree.path("elsewhere"));
        Files.move(tree.path("moved/from.txt"), tree.path("elsewhere/to.txt"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString()))
                .put("/api/v1/roots/" + tree.name()).then().statusCode(201);
        awaitState(tree, "WATCHING");

        List<FsEvent> events = fence(tree, stream);
        assertThat(events.subList(4, events.size()))
                .extracting(FsEvent::kind, FsEvent::path, FsEvent::sha256, FsEvent::previousSha256, FsEvent::from)
                .containsExactlyInAnyOrder(
                        Tuple.tuple(FsChangeKind.MODIFIED, "changed.txt", sha("after"), sha("before"), null),
                        Tuple.tuple(FsChangeKind.DELETED, "removed.txt", null, sha("removed"), null),
                        Tuple.tuple(FsChangeKind.CREATED, "added.txt", sha("new"), null, null),
                        Tuple.tuple(FsChangeKind.MOVED, "elsewhere/to.txt", sha("travels"), null, "moved/from.txt"));
    }

    @Test
    void aRootRemovedWithItsIndexStartsAfresh() throws Exception {
        Tree tree = newTree("purge");
        tree.write("a.txt", "a");
        FsEventStream stream = watch(tree);
        stream.await("created", event -> event.path().equals("a.txt"));

        asAdmin().queryParam("purge", true).delete("/api/v1/roots/" + tree.name()).then().statusCode(204);
        asAdmin().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString()))
                .put("/api/v1/roots/" + tree.name()).then().statusCode(201);
        awaitState(tree, "WATCHING");

        await().atMost(FsEventStream.PATIENCE).until(() -> stream.about("a.txt").size() == 2);
        assertThat(stream.about("a.txt")).extracting(FsEvent::kind)
                .containsExactly(FsChangeKind.CREATED, FsChangeKind.CREATED);
    }

    private static List<String> linesOf(FsEventStream stream) {
        List<String> lines = new ArrayList<>();
        stream.events().stream().filter(event -> event.lines() != null).forEach(event -> lines.addAll(event.lines()));
        return lines;
    }
}
