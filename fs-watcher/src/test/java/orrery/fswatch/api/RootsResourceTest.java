package orrery.fswatch.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.fswatch.backend.LimitedWatchRegistrar;
import orrery.fswatch.service.FsEventStream;
import orrery.fswatch.service.WatchedTreeResource;
import orrery.fswatch.service.WatcherTestBase;
import orrery.model.fs.FsChangeKind;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
@WithTestResource(JwtTestResource.class)
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

        asUser().get("/api/v1/roots").then().statusCode(200)
                .body("name", hasItem(tree.name()));
        JsonPath first = asUser().queryParam("prefix", "data/").queryParam("limit", 2)
                .get("/api/v1/roots/" + tree.name() + "/files").then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("files.path", String.class)).containsExactly("data/f0.txt", "data/f1.txt");
        assertThat(first.getString("files[0].sha256")).isEqualTo(sha("file 0"));
        assertThat(first.getString("next")).isEqualTo("data/f1.txt");
        JsonPath last = asUser().queryParam("prefix", "data/").queryParam("limit", 2).queryParam("after", "data/f3.txt")
                .get("/api/v1/roots/" + tree.name() + "/files").then().statusCode(200).extract().jsonPath();
        assertThat(last.getList("files.path", String.class)).containsExactly("data/f4.txt");
        assertThat(last.getString("next")).isNull();
        asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(200)
                .body("state", equalTo("WATCHING")).body("files", equalTo(6)).body("path", equalTo(tree.folder().toString()));
    }

    @Test
    void replacingARootAnswers200AndAppliesItsNewRules() throws Exception {
        Tree tree = newTree("replace");
        tree.write("keep.txt", "k");
        watch(tree);

        asAdmin().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString(), "exclude", List.of("*.txt")))
                .put("/api/v1/roots/" + tree.name()).then().statusCode(200).body("exclude", equalTo(List.of("*.txt")));
    }

    @Test
    void aFolderOutsideTheAllowedBasesIsRefused() throws Exception {
        Path outside = Files.createTempDirectory("orrery-not-allowed-");
        try {
            asAdmin().contentType(ContentType.JSON).body(Map.of("path", outside.toString()))
                    .put("/api/v1/roots/outside").then().statusCode(403).contentType(PROBLEM)
                    .body("type", equalTo("urn:orrery:problem:path-not-allowed"))
                    .body("detail", containsString("allowed base folders"));
            asAdmin().contentType(ContentType.JSON).body(Map.of("path", base() + "/../" + outside.getFileName()))
                    .put("/api/v1/roots/outside").then().statusCode(403).contentType(PROBLEM);
        } finally {
            Files.delete(outside);
        }
        asUser().get("/api/v1/roots/outside").then().statusCode(404);
    }

    @Test
    void aRootNameThatIsNotASubjectTokenIsRefused() throws Exception {
        Tree tree = newTree("named");
        asAdmin().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString()))
                .put("/api/v1/roots/bad.name").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:orrery:problem:invalid-root-name"))
                .body("detail", containsString("events.fs.<root>"));
        asUser().get("/api/v1/roots/bad*name").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void anUnknownRootIs404() {
        for (String request : List.of("GET /api/v1/roots/nobody", "GET /api/v1/roots/nobody/files",
                "POST /api/v1/roots/nobody/rescan", "DELETE /api/v1/roots/nobody")) {
            String[] parts = request.split(" ");
            (parts[0].equals("GET") ? asUser() : asAdmin()).request(parts[0], parts[1]).then().statusCode(404).contentType(PROBLEM)
                    .body("type", equalTo("urn:orrery:problem:unknown-root"))
                    .body("detail", containsString("nobody"));
        }
    }

    @Test
    void badBodiesAndParametersAre400WithTheFieldNamed() throws Exception {
        Tree tree = newTree("bodies");
        String root = "/api/v1/roots/" + tree.name();
        asAdmin().contentType(ContentType.JSON).body("{}").put(root).then().statusCode(400).contentType(PROBLEM)
                .body("field", equalTo("path"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString(), "colour", "blue"))
                .put(root).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:orrery:problem:unknown-field")).body("field", equalTo("colour"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("path", "relative/folder"))
                .put(root).then().statusCode(400).body("detail", containsString("must be absolute"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString(), "quietPeriod", "soon"))
                .put(root).then().statusCode(400).contentType(PROBLEM).body("field", equalTo("quietPeriod"));
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("path", tree.folder().toString(), "quietPeriod", "PT10S", "maxLatency", "PT1S"))
                .put(root).then().statusCode(400).body("field", equalTo("maxLatency"));
        asAdmin().contentType(ContentType.JSON).body("{\"path\": ").put(root).then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:malformed-json"));
        asAdmin().contentType(ContentType.JSON).put(root).then().statusCode(400).contentType(PROBLEM);
        asUser().get(root).then().statusCode(404);

        watch(tree);
        asUser().queryParam("limit", 0).get(root + "/files").then().statusCode(400).body("field", equalTo("limit"));
        asUser().queryParam("limit", "many").get(root + "/files").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("limit must be a whole number"));
    }

    @Test
    void theInotifyWatchLimitFailsTheRootWithWhatToRaise() throws Exception {
        Tree tree = newTree("limit");
        tree.write("fine/a.txt", "a");
        Files.createDirectories(tree.path("huge/" + LimitedWatchRegistrar.LIMIT_FOLDER));

        asAdmin().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString()))
                .put("/api/v1/roots/" + tree.name()).then().statusCode(201);

        await().atMost(FsEventStream.PATIENCE).untilAsserted(() ->
                asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(200)
                        .body("state", equalTo("FAILED"))
                        .body("error", containsString("raise fs.inotify.max_user_watches"))
                        .body("error", containsString(LimitedWatchRegistrar.LIMIT_FOLDER)));
    }

    // --- who may call ---------------------------------------------------------------------------

    /** Every endpoint, as method and path, for a root named {@code name}. */
    private static List<String[]> everyEndpoint(String name) {
        String root = "/api/v1/roots/" + name;
        return List.of(new String[] {"GET", "/api/v1/roots"}, new String[] {"GET", root},
                new String[] {"PUT", root}, new String[] {"DELETE", root}, new String[] {"POST", root + "/rescan"},
                new String[] {"GET", root + "/files"});
    }

    private static RequestSpecification with(String token) {
        return token == null ? given() : given().auth().oauth2(token);
    }

    @Test
    void everyEndpointRefusesACallerWithoutAValidTokenAndChangesNothing() throws Exception {
        Tree tree = newTree("guarded");
        tree.write("kept.txt", "kept");
        FsEventStream stream = watch(tree);
        stream.await("kept.txt", event -> event.path().equals("kept.txt") && event.kind() == FsChangeKind.CREATED);

        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("not a JWT", "not-a-token");
        tokens.put("forged (signed by another key)", JwtTestResource.forged("root"));
        tokens.put("another audience", JwtTestResource.tokenFor(JwtTestResource.ISSUER, "some-other-service", "root", "admin"));
        tokens.put("another issuer", JwtTestResource.tokenFor("https://issuer.example.org", JwtTestResource.AUDIENCE, "root", "admin"));
        Map<String, Object> body = Map.of("path", tree.folder().toString(), "exclude", List.of("*.txt"));
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            for (String[] endpoint : everyEndpoint(tree.name())) {
                RequestSpecification request = with(token.getValue());
                if (endpoint[0].equals("PUT")) {
                    request = request.contentType(ContentType.JSON).body(body);
                }
                request.request(endpoint[0], endpoint[1]).then()
                        .statusCode(401).contentType(PROBLEM)
                        .body("type", equalTo("urn:orrery:problem:unauthenticated"))
                        .header("WWW-Authenticate", containsString("Bearer"));
            }
        }
        // Without a valid token a bad body is still a 401: who is asking is settled before what is asked.
        given().contentType(ContentType.JSON).body("{\"path\": ").put("/api/v1/roots/" + tree.name())
                .then().statusCode(401).contentType(PROBLEM);

        // Nothing was removed or replaced.
        asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(200)
                .body("state", equalTo("WATCHING")).body("exclude", not(hasItem("*.txt")));
        asUser().get("/api/v1/roots/" + tree.name() + "/files").then().statusCode(200)
                .body("files.path", hasItem("kept.txt"));
    }

    @Test
    void aTokenWhoseUserNameBreaksTheRuleIs401() {
        given().auth().oauth2(JwtTestResource.token("alice smith")).get("/api/v1/roots").then()
                .statusCode(401).contentType(PROBLEM)
                .body("type", equalTo("urn:orrery:problem:invalid-user-name"))
                .body("detail", containsString("alice smith"));
    }

    @Test
    void usersReadWatchedRootsButOnlyAdministratorsChangeThem() throws Exception {
        Tree tree = newTree("users");
        tree.write("u.txt", "u");
        FsEventStream stream = watch(tree);
        stream.await("u.txt", event -> event.path().equals("u.txt") && event.kind() == FsChangeKind.CREATED);
        String root = "/api/v1/roots/" + tree.name();

        for (String user : List.of("alice", "bob")) {
            given().auth().oauth2(JwtTestResource.token(user)).get("/api/v1/roots").then().statusCode(200).body("name", hasItem(tree.name()));
            given().auth().oauth2(JwtTestResource.token(user)).get(root).then().statusCode(200)
                    .body("state", equalTo("WATCHING"));
            given().auth().oauth2(JwtTestResource.token(user)).get(root + "/files").then().statusCode(200)
                    .body("files.path", hasItem("u.txt"));
        }

        asUser().contentType(ContentType.JSON).body(Map.of("path", tree.folder().toString(), "exclude", List.of("*.txt")))
                .put(root).then().statusCode(403).contentType(PROBLEM)
                .body("type", equalTo("urn:orrery:problem:forbidden"))
                .body("detail", containsString("administrators"));
        asUser().delete(root).then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("removing a watched root"));
        asUser().queryParam("purge", true).delete(root).then().statusCode(403).contentType(PROBLEM);
        asUser().post(root + "/rescan").then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("rescanning"));
        // A user cannot add a root either, not even with a bad name or body: the answer does not probe the rules.
        Tree other = newTree("users-new");
        asUser().contentType(ContentType.JSON).body(Map.of("path", other.folder().toString()))
                .put("/api/v1/roots/" + other.name()).then().statusCode(403).contentType(PROBLEM);
        asUser().contentType(ContentType.JSON).body(Map.of("path", "/etc"))
                .put("/api/v1/roots/bad.name").then().statusCode(403).contentType(PROBLEM);
        asUser().get("/api/v1/roots/" + other.name()).then().statusCode(404);

        // The root is as it was: still watched, still publishing, its rules unchanged.
        asUser().get(root).then().statusCode(200).body("state", equalTo("WATCHING"))
                .body("exclude", not(hasItem("*.txt")));
        tree.write("after.txt", "after");
        stream.await("after.txt", event -> event.path().equals("after.txt"));

        // The administrator may do all of it.
        asAdmin().post(root + "/rescan").then().statusCode(202);
        asAdmin().delete(root).then().statusCode(204);
        asUser().get(root).then().statusCode(404);
    }
}
