package orrery.fswatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.KeyValue;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import orrery.fswatch.service.FsEventStream;
import orrery.fswatch.service.WatchedTreeResource;
import orrery.fswatch.service.WatcherTestBase;
import orrery.model.fs.FsChangeKind;
import orrery.model.fs.FsEvent;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: what the watcher reads back from JetStream may be poison too. An unreadable entry in a
 * root's index bucket is skipped (the file is published again), not a root that never starts. Same
 * test resources as {@link RootsResourceTest}, so the application is shared.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
@WithTestResource(JwtTestResource.class)
class PoisonStoreTest extends WatcherTestBase {

    @Test
    void anUnreadableIndexEntryIsSkippedAndTheRootStillStarts() throws Exception {
        Tree tree = newTree("poison-index");
        tree.write("kept.txt", "kept");
        tree.write("spoilt.txt", "spoilt");
        FsEventStream stream = watch(tree);
        await().atMost(FsEventStream.PATIENCE).until(() -> stream.events().size() == 2);
        asAdmin().delete("/api/v1/roots/" + tree.name()).then().statusCode(204);

        // Spoil the stored entry of spoilt.txt, and add entries that are not JSON at all.
        KeyValue index = connection.keyValue("fswatch-index-" + tree.name());
        List<String> keys = index.keys();
        assertThat(keys).hasSizeGreaterThanOrEqualTo(2);
        for (String key : keys) {
            String value = index.get(key).getValueAsString();
            if (value.contains("spoilt.txt")) {
                index.put(key, "{\"path\":\"spoilt.txt\",\"size\":\"many\"".getBytes(StandardCharsets.UTF_8));
            }
        }
        index.put("garbage", "not json at all".getBytes(StandardCharsets.UTF_8));
        index.put("nul", new byte[] {0, 1, 2});
        tree.write("added.txt", "new");

        asAdmin().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString()))
                .put("/api/v1/roots/" + tree.name()).then().statusCode(201);
        awaitState(tree, "WATCHING");

        List<FsEvent> events = fence(tree, stream);
        assertThat(events.subList(2, events.size()))
                .as("kept.txt is known and unchanged; spoilt.txt, whose entry was unreadable, is published again")
                .extracting(FsEvent::kind, FsEvent::path, FsEvent::sha256)
                .containsExactlyInAnyOrder(
                        Tuple.tuple(FsChangeKind.CREATED, "spoilt.txt", sha("spoilt")),
                        Tuple.tuple(FsChangeKind.CREATED, "added.txt", sha("new")));
    }
}
