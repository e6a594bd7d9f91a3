package orrery.fswatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import orrery.fswatch.service.WatchedTreeResource;
import orrery.fswatch.service.WatcherTestBase;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.OpenApiFuzzer;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: bad input on every REST endpoint is a 4xx problem+json that says what was wrong, never
 * a 500, and a limit's refusal names the limit. Same test resources as {@link RootsResourceTest}, so
 * the application is shared.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(WatchedTreeResource.class)
@WithTestResource(JwtTestResource.class)
class BadInputTest extends WatcherTestBase {

    private static final String MEGABYTE = "x".repeat(1024 * 1024);

    @Test
    void bodiesThatAreNotAnObjectAreRefused() throws Exception {
        Tree tree = newTree("bodies");
        for (String body : new String[] {"", "null", "[]", "\"/tmp\"", "42", "{", "{\"path\":", "[null]"}) {
            assertProblem(put(tree.name(), body), 400, "body " + body);
        }
        assertNotWatched(tree);
    }

    @Test
    void aPathOfTheWrongTypeIsRefusedNamingTheField() throws Exception {
        Tree tree = newTree("path-types");
        for (String path : new String[] {"null", "5", "[\"" + tree.folder() + "\"]", "{}", "true", "\"\"", "\"  \""}) {
            Response response = put(tree.name(), "{\"path\":" + path + "}");
            assertProblem(response, 400, "path " + path);
            assertThat(response.jsonPath().getString("field")).as(path).isEqualTo("path");
        }
        assertNotWatched(tree);
    }

    @Test
    void nullGlobsAndGlobsOfTheWrongTypeAreRefusedNamingTheField() throws Exception {
        Tree tree = newTree("globs");
        for (String field : List.of("include", "exclude", "logs")) {
            for (String value : new String[] {"[null]", "[\"*.txt\", null]", "\"*.txt\"", "[[\"*.txt\"]]", "[{}]", "{}", "7"}) {
                Response response = put(tree.name(), "{\"path\":\"" + tree.folder() + "\",\"" + field + "\":" + value + "}");
                assertProblem(response, 400, field + " " + value);
                assertThat(response.jsonPath().getString("field")).as(field + " " + value).startsWith(field);
            }
        }
        Response nullElement = put(tree.name(), "{\"path\":\"" + tree.folder() + "\",\"exclude\":[\"a\", null]}");
        assertThat(nullElement.jsonPath().getString("detail")).contains("exclude[1] is null");
        assertNotWatched(tree);
    }

    @Test
    void unknownFieldsAreRefused() throws Exception {
        Tree tree = newTree("unknown");
        assertProblem(put(tree.name(), "{\"path\":\"" + tree.folder() + "\",\"recursive\":true}"), 400, "unknown field")
                .then().body("type", containsString("unknown-field"));
        assertNotWatched(tree);
    }

    @Test
    void tooManyGlobsAreRefusedNamingTheLimit() throws Exception {
        Tree tree = newTree("many-globs");
        String many = IntStream.range(0, 100_000).mapToObj(i -> "\"f" + i + ".txt\"").collect(Collectors.joining(","));
        for (String field : List.of("include", "exclude", "logs")) {
            Response response = put(tree.name(), "{\"path\":\"" + tree.folder() + "\",\"" + field + "\":[" + many + "]}");
            assertProblem(response, 400, "100k " + field);
            assertThat(response.jsonPath().getString("detail")).contains("at most 256 " + field + " patterns");
            assertThat(response.asString().length()).isLessThan(2048);
        }
        String justEnough = Collections.nCopies(256, "\"*.tmp\"").stream().collect(Collectors.joining(","));
        put(tree.name(), "{\"path\":\"" + tree.folder() + "\",\"exclude\":[" + justEnough + "]}").then().statusCode(201);
    }

    @Test
    void hugeStringsAreRefusedNamingTheLimitWithoutEchoingThem() throws Exception {
        Tree tree = newTree("huge");
        Response path = put(tree.name(), "{\"path\":\"" + tree.folder() + "/" + MEGABYTE + "\"}");
        assertProblem(path, 400, "1 MB path");
        assertThat(path.jsonPath().getString("detail")).contains("at most 4096 characters");
        assertThat(path.asString().length()).isLessThan(2048);
        Response glob = put(tree.name(), "{\"path\":\"" + tree.folder() + "\",\"include\":[\"" + MEGABYTE + "\"]}");
        assertProblem(glob, 400, "1 MB glob");
        assertThat(glob.jsonPath().getString("detail")).contains("at most 1024 characters");
        assertThat(glob.asString().length()).isLessThan(2048);
        Response name = put("r".repeat(3000), "{\"path\":\"" + tree.folder() + "\"}");
        assertProblem(name, 400, "long root name").then().body("type", containsString("invalid-root-name"));
        assertThat(name.jsonPath().getString("detail").length()).as("the detail does not repeat the name").isLessThan(1024);
        assertNotWatched(tree);
    }

    @Test
    void controlCharactersInPathsAndGlobsAreRefused() throws Exception {
        Tree tree = newTree("control");
        for (String bad : new String[] {"\\u0000", "\\n", "\\u001b[31m", "\\u007f", "\\u0085"}) {
            Response path = put(tree.name(), "{\"path\":\"" + tree.folder() + bad + "\"}");
            assertProblem(path, 400, "path with " + bad);
            assertThat(path.jsonPath().getString("field")).isEqualTo("path");
            assertThat(path.jsonPath().getString("detail")).contains("control character");
            for (String field : List.of("include", "exclude", "logs")) {
                Response glob = put(tree.name(), "{\"path\":\"" + tree.folder() + "\",\"" + field + "\":[\"*" + bad + ".txt\"]}");
                assertProblem(glob, 400, field + " with " + bad);
                assertThat(glob.jsonPath().getString("detail")).as(field + " " + bad).contains("control character");
            }
        }
        for (String name : new String[] {"%00", "a%0Ab", "a.b", "a*", "a%20b", "%E2%80%AE"}) {
            assertProblem(asAdmin().urlEncodingEnabled(false).contentType(ContentType.JSON)
                    .body("{\"path\":\"" + tree.folder() + "\"}").put("/api/v1/roots/" + name), 400, "root " + name)
                    .then().body("type", containsString("invalid-root-name"));
            assertProblem(asUser().urlEncodingEnabled(false).get("/api/v1/roots/" + name), 400, "GET root " + name);
            assertProblem(asUser().urlEncodingEnabled(false).get("/api/v1/roots/" + name + "/files"), 400, "files of " + name);
            assertProblem(asAdmin().urlEncodingEnabled(false).delete("/api/v1/roots/" + name), 400, "DELETE " + name);
            assertProblem(asAdmin().urlEncodingEnabled(false).post("/api/v1/roots/" + name + "/rescan"), 400, "rescan " + name);
        }
        assertNotWatched(tree);
    }

    @Test
    void pathsOutsideTheAllowedBasesAreRefusedHoweverTheyAreSpelt() throws Exception {
        Tree tree = newTree("traversal");
        Path outside = Files.createTempDirectory("orrery-outside-");
        Path link = Files.createSymbolicLink(tree.folder().resolve("out"), outside);
        try {
            for (String path : new String[] {tree.folder() + "/../..", tree.folder() + "/../../etc", "/etc", "/",
                    tree.folder() + "/out", tree.folder() + "/out/.", outside.toString(), "/proc/self/root" + tree.folder()}) {
                assertProblem(put(tree.name(), "{\"path\":\"" + path + "\"}"), 403, path)
                        .then().body("type", containsString("path-not-allowed"));
            }
            for (String path : new String[] {"relative/folder", "..", "./x", "~", "~/projects"}) {
                assertProblem(put(tree.name(), "{\"path\":\"" + path + "\"}"), 400, path).then().body("field", equalTo("path"));
            }
            assertProblem(put(tree.name(), "{\"path\":\"" + tree.write("file.txt", "x") + "\"}"), 400, "a file")
                    .then().body("detail", containsString("not a folder"));
            assertNotWatched(tree);
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void durationsOutOfRangeOrOfTheWrongTypeAreRefused() throws Exception {
        Tree tree = newTree("durations");
        for (String field : List.of("quietPeriod", "maxLatency")) {
            // (An empty string, like null or leaving the field out, means the configured default.)
            for (String value : new String[] {"\"P999999999999D\"", "\"PT9223372036854775807S\"", "\"PT-1S\"", "\"yesterday\"",
                    "-1", "1", "0.3", "1e300", "[]", "{}", "true", "\"P1Y\"", "\"PT2H\"", "\"PT0.3S PT1S\""}) {
                Response response = put(tree.name(), "{\"path\":\"" + tree.folder() + "\",\"" + field + "\":" + value + "}");
                assertProblem(response, 400, field + " " + value);
                assertThat(response.jsonPath().getString("field")).as(field + " " + value).isEqualTo(field);
            }
        }
        assertNotWatched(tree);
    }

    @Test
    void badPagesOfFilesAreRefusedNamingTheParameter() throws Exception {
        Tree tree = newTree("pages");
        watch(tree);
        String files = "/api/v1/roots/" + tree.name() + "/files";
        for (String limit : new String[] {"2147483647", "2147483648", "99999999999999999999", "-1", "0", "abc", "1e3", "%00",
                "1.5", "%20"}) {
            Response response = asUser().urlEncodingEnabled(false).get(files + "?limit=" + limit);
            assertProblem(response, 400, "limit " + limit);
            assertThat(response.jsonPath().getString("field")).isEqualTo("limit");
        }
        for (String parameter : List.of("prefix", "after")) {
            for (String value : new String[] {"%00", "a%0Ab", "%1B%5B31m"}) {
                assertProblem(asUser().urlEncodingEnabled(false).get(files + "?" + parameter + "=" + value), 400,
                        parameter + " " + value).then().body("field", equalTo(parameter));
            }
            // A request line over 4096 bytes is refused by the HTTP server before it reaches the API (414).
            assertThat(asUser().get(files + "?" + parameter + "=" + "p".repeat(5000)).statusCode()).isEqualTo(414);
            asUser().get(files + "?" + parameter + "=" + "p".repeat(3000)).then().statusCode(200);
        }
        // Traversal in a prefix only filters the index: nothing outside the root is ever listed.
        asUser().queryParam("prefix", "../../etc").get(files).then().statusCode(200).body("files.size()", equalTo(0));
        asUser().queryParam("limit", 1000).get(files).then().statusCode(200);
        asUser().urlEncodingEnabled(false).get(files + "?limit=").then().statusCode(200); // empty: the default, 100
    }

    @Test
    void aPurgeThatIsNeitherTrueNorFalseIsRefusedAndKeepsTheRoot() throws Exception {
        Tree tree = newTree("purge");
        watch(tree);
        for (String purge : new String[] {"yes", "1", "maybe", "%00"}) {
            assertProblem(asAdmin().urlEncodingEnabled(false).delete("/api/v1/roots/" + tree.name() + "?purge=" + purge),
                    400, "purge " + purge).then().body("field", equalTo("purge"));
        }
        asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(200);
        asAdmin().delete("/api/v1/roots/" + tree.name() + "?purge=TRUE").then().statusCode(204);
        asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(404);
    }

    @Test
    void theWrongMediaTypeOrMethodIsAProblemToo() throws Exception {
        Tree tree = newTree("media");
        assertProblem(asAdmin().contentType("text/plain").body("{\"path\":\"" + tree.folder() + "\"}")
                .put("/api/v1/roots/" + tree.name()), 415, "text/plain");
        assertProblem(asAdmin().contentType(ContentType.JSON).body("{}").post("/api/v1/roots/" + tree.name()), 405, "POST root");
        assertProblem(asAdmin().get("/api/v1/roots/" + tree.name() + "/rescan"), 405, "GET rescan");
        assertProblem(asUser().get("/api/v1/roots/" + tree.name() + "/files/extra"), 404, "below the files");
        assertProblem(asUser().urlEncodingEnabled(false).get("/api/v1/roots/%2E%2E%2F%2E%2E"), 400, "encoded traversal")
                .then().body("type", containsString("invalid-root-name"));
        assertProblem(asUser().accept("application/xml").get("/api/v1/roots"), 406, "XML wanted");
        assertNotWatched(tree);
    }

    private static Response put(String root, String body) {
        return asAdmin().contentType(ContentType.JSON).body(body).put("/api/v1/roots/" + root);
    }

    private static void assertNotWatched(Tree tree) {
        asUser().get("/api/v1/roots/" + tree.name()).then().statusCode(404);
    }

    static Response assertProblem(Response response, int status, String what) {
        assertThat(response.statusCode()).as(what + ": " + abbreviated(response.asString())).isEqualTo(status);
        assertThat(response.contentType()).as(what).startsWith("application/problem+json");
        response.then().body("status", equalTo(status)).body("type", not(containsString("internal-error")));
        return response;
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    @TestHTTPResource("/")
    URL fuzzRoot;

    /** Every operation of /q/openapi, broken on purpose (seeded, so a finding replays): no 5xx, every 4xx problem+json, no hang. */
    @Test
    void aSeededFuzzOfEveryOperationNeverGetsA5xxAndAlwaysProblemJson() throws Exception {
        OpenApiFuzzer.assertEveryOperationHoldsUp(fuzzRoot, 13, 10);
    }
}
