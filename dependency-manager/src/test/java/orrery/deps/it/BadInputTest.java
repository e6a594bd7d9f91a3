package orrery.deps.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.OpenApiFuzzer;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: bad input on every REST endpoint is a 4xx problem+json that says what was wrong, never
 * a 500, and a limit's refusal names the limit. Same test resources as {@link BuildFlowTest}, so the
 * application is shared.
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ShellProject.class)
@WithTestResource(JwtTestResource.class)
class BadInputTest {

    private static final String MEGABYTE = "x".repeat(1024 * 1024);

    @Test
    void buildRequestsWithoutAnObjectAreRefused() {
        for (String body : new String[] {"", "null", "[]", "\"proj/a.txt\"", "42", "true", "{", "{\"target\":"}) {
            Response response = postBuild(body);
            assertProblem(response, 400, "body " + body);
        }
    }

    @Test
    void aTargetOfTheWrongTypeIsRefusedNamingTheField() {
        for (String body : new String[] {"{\"target\":null}", "{\"target\":5}", "{\"target\":[\"proj/a.txt\"]}",
                "{\"target\":{}}", "{\"target\":true}", "{\"target\":\"\"}", "{\"target\":\"   \"}"}) {
            Response response = postBuild(body);
            assertProblem(response, 400, body);
            assertThat(response.jsonPath().getString("field")).as(body).isEqualTo("target");
        }
    }

    @Test
    void unknownFieldsAndDuplicateTargetsAreRefused() {
        assertProblem(postBuild("{\"target\":\"proj/a.txt\",\"targets\":[\"proj/b.txt\"]}"), 400, "unknown field")
                .then().body("type", containsString("unknown-field"));
        String many = IntStream.range(0, 100_000).mapToObj(i -> "\"proj/f" + i + ".txt\"")
                .collect(Collectors.joining(",", "{\"target\":\"proj/a.txt\",\"targets\":[", "]}"));
        assertProblem(postBuild(many), 400, "100k targets").then().body("type", containsString("unknown-field"));
        String array = IntStream.range(0, 100_000).mapToObj(i -> "{\"target\":\"proj/f" + i + ".txt\"}")
                .collect(Collectors.joining(",", "[", "]"));
        assertProblem(postBuild(array), 400, "100k build requests");
    }

    @Test
    void aHugeTargetIsRefusedNamingTheLimitWithoutEchoingIt() {
        for (String target : new String[] {"proj/" + MEGABYTE, MEGABYTE, "proj/" + "a/".repeat(5000) + "x"}) {
            Response response = postBuild("{\"target\":\"" + target + "\"}");
            assertProblem(response, 400, "target of " + target.length() + " characters");
            assertThat(response.jsonPath().getString("detail")).contains("at most 2048 characters");
            assertThat(response.asString().length()).as("the answer does not repeat the target").isLessThan(4096);
        }
    }

    @Test
    void controlCharactersInATargetAreRefused() {
        for (String target : new String[] {"proj/a\\u0000.txt", "proj/a\\n.txt", "proj/a\\u001b[31m.txt", "proj\\u0000/a.txt",
                "proj/a\\u007f.txt", "proj/\\u0085x.txt"}) {
            Response response = postBuild("{\"target\":\"" + target + "\"}");
            assertProblem(response, 400, target);
            assertThat(response.jsonPath().getString("type")).as(target).endsWith("invalid-target");
            assertThat(response.jsonPath().getString("detail")).as(target).contains("control character");
        }
    }

    @Test
    void targetsOutsideTheirRootAreRefused() {
        for (String target : new String[] {"/etc/passwd", "proj//etc/passwd", "proj/../etc/passwd", "proj/./a.txt",
                "proj/a/../../x", "../proj/a.txt", "proj/", "proj\\\\..\\\\x", "pr*oj/a.txt", "proj/a.txt/"}) {
            Response response = postBuild("{\"target\":\"" + target + "\"}");
            assertProblem(response, 400, target);
            assertThat(response.jsonPath().getString("type")).as(target).endsWith("invalid-target");
        }
    }

    @Test
    void aTargetInARootWithNoKnownFileIsUnknownAndAddsNothing() {
        int before = Api.as("alice").get("/api/v1/graph").jsonPath().getList("nodes").size();
        for (int i = 0; i < 10; i++) {
            Response response = postBuild("{\"target\":\"nowhere" + i + "/notes.lines\"}");
            assertProblem(response, 404, "root nowhere" + i).then().body("type", containsString("unknown-target"));
            assertThat(response.jsonPath().getString("detail")).contains("no file of root 'nowhere" + i + "' is known");
        }
        assertThat(Api.as("alice").get("/api/v1/graph").jsonPath().getList("nodes.artefact", String.class))
                .as("no node of the unknown roots").noneMatch(node -> node.startsWith("nowhere"));
        assertThat(Api.as("alice").get("/api/v1/graph").jsonPath().getList("nodes").size()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void aTargetWithTheWrongMediaTypeIsRefused() {
        Response response = Api.as("alice").contentType("text/plain").body("{\"target\":\"proj/a.txt\"}").post("/api/v1/builds");
        assertProblem(response, 415, "text/plain");
    }

    @Test
    void malformedBuildIdsAreNotFoundNotErrors() {
        for (String id : new String[] {"%00", "b-%00", "not-a-build", "%E2%80%AE", "b-" + "9".repeat(3000),
                "'%20OR%201=1--", "%25", "%C0%AF"}) {
            assertProblem(Api.as("alice").urlEncodingEnabled(false).get("/api/v1/builds/" + id), 404, "build " + id);
            assertProblem(Api.as("alice").urlEncodingEnabled(false).get("/api/v1/builds/" + id + "/events"), 404,
                    "events of " + id);
        }
    }

    @Test
    void malformedArtefactReferencesAreNotFoundNotErrors() {
        for (String ref : new String[] {"%00", "proj/%00", "proj/../../etc/passwd", "proj/a%0A.txt", "x".repeat(3000),
                "proj/" + "a/".repeat(1000), "%25", "%C0%AF"}) {
            assertProblem(Api.as("alice").urlEncodingEnabled(false).get("/api/v1/artefacts/" + ref), 404, "artefact " + ref);
        }
    }

    @Test
    void badGraphFormatsAreRefusedNamingTheField() {
        for (String format : new String[] {"png", "%00", "JSON%0A", "x".repeat(3000), "dot,mermaid"}) {
            Response response = Api.as("alice").urlEncodingEnabled(false).get("/api/v1/graph?format=" + format);
            assertProblem(response, 400, "format " + format);
            assertThat(response.jsonPath().getString("field")).isEqualTo("format");
            assertThat(response.asString().length()).as("the answer does not repeat a long format").isLessThan(1024);
        }
        // Unknown query parameters (pages, sizes) are not part of this API and change nothing.
        Api.as("alice").get("/api/v1/builds?page=2147483647&size=-1").then().statusCode(200);
        Api.as("alice").get("/api/v1/graph?format=json&page=-1").then().statusCode(200);
    }

    @Test
    void wrongMethodsAreProblemsToo() {
        assertProblem(Api.as("alice").contentType("application/json").body("{}").put("/api/v1/builds"), 405, "PUT builds");
        assertProblem(Api.as("alice").delete("/api/v1/graph"), 405, "DELETE graph");
        assertProblem(Api.as("alice").contentType("application/json").body("{}").post("/api/v1/artefacts/proj/a.txt"),
                405, "POST artefact");
        // Paths that lead nowhere, and answers nobody can have.
        assertProblem(Api.as("alice").get("/api/v1/artefacts/"), 404, "no artefact reference");
        assertProblem(Api.as("alice").get("/api/v1/graph/extra"), 404, "below the graph");
        assertProblem(Api.as("alice").urlEncodingEnabled(false).get("/api/v1/builds/%2F..%2F..%2Fetc"), 404, "encoded slashes");
        assertProblem(Api.as("alice").accept("application/xml").get("/api/v1/builds"), 406, "XML wanted");
    }

    private static Response postBuild(String body) {
        return Api.as("alice").contentType("application/json").body(body).post("/api/v1/builds");
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
