package orrery.fswatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import orrery.model.fs.FsChangeKind;
import orrery.model.fs.FsEvent;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

/**
 * The first scan of a tree larger than the publishing window (and than one scan batch per folder): it
 * is scanned in parallel, its events pipelined; exactly one CREATED per file must arrive, and a restart
 * must publish nothing.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
@WithTestResource(JwtTestResource.class)
class FirstScanTest extends WatcherTestBase {

    private static final int FILES = 2 * ChangeRecorder.WINDOW + 500;

    @Test
    void aFirstScanPublishesOneCreatedPerFileAndARestartPublishesNone() throws Exception {
        Tree tree = newTree("first-scan");
        Map<String, String> contents = new HashMap<>();
        for (int i = 0; i < FILES; i++) {
            // 40 folders of 64 files, and one folder of 300 (more than one scan batch), and files at the top
            String path = i < 300 ? "big/" + i + ".dat" : i < FILES - 20 ? "d" + (i % 40) + "/sub/f" + i + ".txt"
                    : "top-" + i + ".txt";
            String content = "content of file " + i;
            tree.write(path, content);
            contents.put(path, content);
        }
        FsEventStream stream = watch(tree);

        JsonPath root = asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(200).extract().jsonPath();
        assertThat(root.getInt("files")).as("all indexed once WATCHING").isEqualTo(FILES);
        assertThat(root.getLong("published")).as("all acknowledged once WATCHING").isEqualTo(FILES);
        await().atMost(FsEventStream.PATIENCE).until(() -> stream.events().size() >= FILES);
        List<FsEvent> events = fence(tree, stream);
        assertThat(events).hasSize(FILES);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.kind()).isEqualTo(FsChangeKind.CREATED);
            assertThat(event.sha256()).as(event.path()).isEqualTo(sha(contents.get(event.path())));
        });
        assertThat(events).extracting(FsEvent::path).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(contents.keySet());
        assertThat(asUser().queryParam("prefix", "big/").queryParam("limit", 1000).get("/api/v1/roots/" + tree.name()
                + "/files").then().statusCode(200).extract().jsonPath().getList("files")).hasSize(300);

        asAdmin().delete("/api/v1/roots/" + tree.name()).then().statusCode(204);
        asAdmin().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString()))
                .put("/api/v1/roots/" + tree.name()).then().statusCode(201);
        awaitState(tree, "WATCHING");

        JsonPath restarted = asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(200).extract().jsonPath();
        assertThat(restarted.getInt("files")).as("the files and the first fence").isEqualTo(FILES + 1);
        assertThat(restarted.getLong("published")).as("nothing published on restart").isZero();
        List<FsEvent> all = fence(tree, stream);
        assertThat(all).as("no event after the first scan's, up to the fence").hasSize(FILES);
    }
}
