package orrery.fswatch.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import orrery.fswatch.watch.FsEventStream;
import orrery.fswatch.watch.LimitedWatchRegistrar;
import orrery.fswatch.watch.WatchedTreeResource;
import orrery.fswatch.watch.WatcherTestBase;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
class RootsResourceTest extends WatcherTestBase {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void listsRootsAndPagesThroughTheirFiles() throws Exception {
        Tree tree = newTree("listing");
        for (int i = 0; i < 5; i++) {
            tree.write("data/f" + i + ".txt", "file " + i);
        }
        tree.write("other.txt", "other");
        FsEventStream stream = watch(tree);
        await().atMost(FsEventStream.PATIENCE).until(() -> stream.events().size() == 6);

        given().get("/api/v1/roots").then().statusCode(200)
                .body("name", hasItem(tree.name()));
        JsonPath first = given().queryParam("prefix", "data/").queryParam("limit", 2)
                .get("/api/v1/roots/" + tree.name() + "/files").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("files.path", String.class)).containsExactly("data/f0.txt", "data/f1.txt");
        assertThat(first.getString("files[0].sha256")).isEqualTo(sha("file 0"));
        assertThat(first.getString("next")).isEqualTo("data/f1.txt");
        JsonPath last = given().queryParam("prefix", "data/").queryParam("limit", 2).queryParam("after", "data/f3.txt")
                .get("/api/v1/roots/" + tree.name() + "/files").then().statusCode(200).extract().jsonPath();
        assertThat(last.getList("files.path", String.class)).containsExactly("data/f4.txt");
        assertThat(last.getString("next")).isNull();
        given().get("/api/v1/roots/" + tree.name()).then().statusCode(200)
                .body("state", equalTo("WATCHING")).body("files", equalTo(6)).body("path", equalTo(tree.folder().toString()));
    }

    @Test
    void replacingARootAnswers200AndAppliesItsNewRules() throws Exception {
        Tree tree = newTree("replace");
        tree.write("keep.txt", "k");
        watch(tree);

        given().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString(), "exclude", List.of("*.txt")))
                .put("/api/v1/roots/" + tree.name()).then().statusCode(200).body("exclude", equalTo(List.of("*.txt")));
    }

    @Test
    void aFolderOutsideTheAllowedBasesIsRefused() throws Exception {
        Path outside = Files.createTempDirectory("orrery-not-allowed-");
        try {
            given().contentType(ContentType.JSON).body(Map.of("path", outside.toString()))
                    .put("/api/v1/roots/outside").then().statusCode(403).contentType(PROBLEM)
                    .body("type", equalTo("urn:orrery:problem:path-not-allowed"))
                    .body("detail", containsString("allowed base folders"));
            given().contentType(ContentType.JSON).body(Map.of("path", base() + "/../" + outside.getFileName()))
                    .put("/api/v1/roots/outside").then().statusCode(403).contentType(PROBLEM);
        } finally {
            Files.delete(outside);
        }
        given().get("/api/v1/roots/outside").then().statusCode(404);
    }

    @Test
    void aRootNameThatIsNotASubjectTokenIsRefused() throws Exception {
        Tree tree = newTree("named");
        given().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString()))
                .put("/api/v1/roots/bad.name").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:orrery:problem:invalid-root-name"))
                .body("detail", containsString("events.fs.<root>"));
        given().get("/api/v1/roots/bad*name").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void anUnknownRootIs404() {
        for (String request : List.of("GET /api/v1/roots/nobody", "GET /api/v1/roots/nobody/files",
                "POST /api/v1/roots/nobody/rescan", "DELETE /api/v1/roots/nobody")) {
            String[] parts = request.split(" ");
            given().request(parts[0], parts[1]).then().statusCode(404).contentType(PROBLEM)
                    .body("type", equalTo("urn:orrery:problem:unknown-root"))
                    .body("detail", containsString("nobody"));
        }
    }

    @Test
    void badBodiesAndParametersAre400WithTheFieldNamed() throws Exception {
        Tree tree = newTree("bodies");
        String root = "/api/v1/roots/" + tree.name();
        given().contentType(ContentType.JSON).body("{}").put(root).then().statusCode(400).contentType(PROBLEM)
                .body("field", equalTo("path"));
        given().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString(), "colour", "blue"))
                .put(root).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:orrery:problem:unknown-field")).body("field", equalTo("colour"));
        given().contentType(ContentType.JSON).body(Map.of("path", "relative/folder"))
                .put(root).then().statusCode(400).body("detail", containsString("must be absolute"));
        given().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString(), "quietPeriod", "soon"))
                .put(root).then().statusCode(400).contentType(PROBLEM).body("field", equalTo("quietPeriod"));
        given().contentType(ContentType.JSON)
                .body(Map.of("path", tree.folder().toString(), "quietPeriod", "PT10S", "maxLatency", "PT1S"))
                .put(root).then().statusCode(400).body("field", equalTo("maxLatency"));
        given().contentType(ContentType.JSON).body("{\"path\": ").put(root).then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:malformed-json"));
        given().contentType(ContentType.JSON).put(root).then().statusCode(400).contentType(PROBLEM);
        given().get(root).then().statusCode(404);

        watch(tree);
        given().queryParam("limit", 0).get(root + "/files").then().statusCode(400).body("field", equalTo("limit"));
        given().queryParam("limit", "many").get(root + "/files").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("limit must be a whole number"));
    }

    @Test
    void theInotifyWatchLimitFailsTheRootWithWhatToRaise() throws Exception {
        Tree tree = newTree("limit");
        tree.write("fine/a.txt", "a");
        Files.createDirectories(tree.path("huge/" + LimitedWatchRegistrar.LIMIT_FOLDER));

        given().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString()))
                .put("/api/v1/roots/" + tree.name()).then().statusCode(201);

        await().atMost(FsEventStream.PATIENCE).untilAsserted(() ->
                given().get("/api/v1/roots/" + tree.name()).then().statusCode(200)
                        .body("state", equalTo("FAILED"))
                        .body("error", containsString("raise fs.inotify.max_user_watches"))
                        .body("error", containsString(LimitedWatchRegistrar.LIMIT_FOLDER)));
    }
}
