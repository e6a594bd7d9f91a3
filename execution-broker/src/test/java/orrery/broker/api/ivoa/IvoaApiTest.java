package orrery.broker.api.ivoa;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * Replays the ExecutionBroker examples (Calycopis v1.0, the draft era and the interim dialect,
 * copied verbatim under src/test/resources/ivoa/ with their provenance) against /ivoa, with a
 * bearer token (anonymous callers are off by default; {@link IvoaAnonymousTest} turns them on).
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class IvoaApiTest {

    static RequestSpecification anonymous() {
        return given().config(RestAssuredConfig.config()
                .redirect(RedirectConfig.redirectConfig().followRedirects(false))
                .encoderConfig(EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", ContentType.TEXT)));
    }

    private static RequestSpecification client() {
        return anonymous().auth().oauth2(JwtTestResource.token("ivy"));
    }

    static String example(String path) throws IOException {
        try (InputStream in = IvoaApiTest.class.getResourceAsStream("/ivoa/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void withoutATokenNothingIsAskedOrDecided() throws Exception {
        anonymous().contentType("application/yaml").body(example("v1.0-kind-meta-2025-11/001-001-offerset-request.yaml"))
                .post("/ivoa/offersets").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:orrery:problem:unauthenticated"));
        anonymous().contentType("application/json").body("{\"kind\": \"uri:enum-value-update\", \"path\": \"/phase\", \"value\": \"ACCEPTED\"}")
                .post("/ivoa/sessions/00000000-0000-0000-0000-000000000000").then().statusCode(401);
        anonymous().get("/ivoa/offersets/00000000-0000-0000-0000-000000000000").then().statusCode(401);
        anonymous().get("/ivoa/sessions/00000000-0000-0000-0000-000000000000").then().statusCode(401);
    }

    @Test
    void replaysTheCalycopisV1Conversation() throws Exception {
        Response created = client().contentType("application/yaml").body(example("v1.0-kind-meta-2025-11/001-001-offerset-request.yaml"))
                .post("/ivoa/offersets");

        created.then().statusCode(303).header("Location", containsString("/ivoa/offersets/"))
                .contentType(startsWith("application/yaml"));
        String yaml = created.asString();
        assertThat(yaml).contains("result: \"YES\"");
        JsonNode set = new YAMLMapper().readTree(yaml);
        assertThat(set.path("kind").asText()).endsWith("execution-offerset-1.0");
        assertThat(set.path("offers").size()).isBetween(1, 4);
        JsonNode first = set.path("offers").get(0);
        assertThat(first.path("phase").asText()).isEqualTo("OFFERED");
        assertThat(first.path("meta").path("uuid").asText()).isEqualTo(first.path("uuid").asText());
        assertThat(first.path("compute").path("cores").path("max").asInt()).isBetween(5, 15);
        assertThat(first.path("schedule").path("available").path("duration").asText()).isEqualTo("PT1H");

        client().accept("application/json").get(created.header("Location")).then().statusCode(200)
                .body("uuid", equalTo(set.path("uuid").asText())).body("offers.phase", everyItem(equalTo("OFFERED")));
        String offer0 = first.path("uuid").asText();
        client().accept("application/json").get("/ivoa/sessions/" + offer0).then().statusCode(200)
                .body("phase", equalTo("OFFERED")).body("options[0].values", equalTo(List.of("ACCEPTED", "REJECTED")));

        client().contentType("application/yaml").accept("application/yaml")
                .body(example("v1.0-kind-meta-2025-11/001-006-reject-00-request.yaml"))
                .post("/ivoa/sessions/" + offer0).then().statusCode(200).body(containsString("phase: \"REJECTED\""));

        if (set.path("offers").size() > 1) {
            String offer1 = set.path("offers").get(1).path("uuid").asText();
            client().contentType("application/json").accept("application/json")
                    .body(example("v1.0-kind-meta-2025-11/001-010-accept-01-request.json"))
                    .post("/ivoa/sessions/" + offer1).then().statusCode(200).body("phase", equalTo("ACCEPTED"))
                    .body("options[0].values", equalTo(List.of("CANCELLED")));
            client().accept("application/json").get(created.header("Location")).then()
                    .body("offers.phase", hasItem("ACCEPTED")).body("offers.phase", not(hasItem("OFFERED")));
        }
    }

    @Test
    void acceptsTheDraftEraDialect() throws Exception {
        Response yaml = client().contentType("application/yaml").accept("application/json")
                .body(example("draft-era-type-2025-02/001-offerset-request.yaml")).post("/ivoa/offersets");
        yaml.then().statusCode(303).body("result", equalTo("YES")).body("name", equalTo(null));
        Response json = client().contentType("application/json").accept("application/json")
                .body(example("draft-era-type-2025-02/004-offerset-request.json")).post("/ivoa/offersets");
        json.then().statusCode(303).body("result", equalTo("YES"))
                .body("offers[0].schedule.executing.duration", equalTo("PT1H"));

        String offer = json.jsonPath().getString("offers[0].uuid");
        client().contentType("application/json").accept("application/json")
                .body(example("draft-era-type-2025-02/004-004-reject-00-request.wrapped-type.json"))
                .post("/ivoa/sessions/" + offer).then().statusCode(200).body("phase", equalTo("REJECTED"));
        String another = yaml.jsonPath().getString("offers[0].uuid");
        client().contentType("application/json").accept("application/json")
                .body(example("v1.0-kind-meta-2025-11/example-001-010-accept-01-request.wrapped-kind.json"))
                .post("/ivoa/sessions/" + another).then().statusCode(200).body("phase", equalTo("ACCEPTED"));
    }

    /** Our own document in the draft shape the peer's curl examples use: {@code resources.computer}, compute's earlier name. */
    @Test
    void readsComputerTheEarlierNameOfCompute() {
        String request = """
                {"name": "computer alias",
                 "executable": {"type": "https://www.purl.org/ivoa.net/EB/schema/v1.0/types/executable/jupyter-notebook-1.0",
                                "location": "https://example.org/notebooks/hello.ipynb"},
                 "resources": {"computer": [{"type": "https://www.purl.org/ivoa.net/EB/schema/v1.0/types/compute/simple-compute-resource-1.0",
                                             "cores": {"requested": {"min": 2, "max": 3}}, "memory": {"requested": {"min": 1, "max": 2}}}]},
                 "schedule": {"requested": {"duration": "PT1H"}}}""";
        client().contentType("application/json").accept("application/json").body(request).post("/ivoa/offersets")
                .then().statusCode(303).body("result", equalTo("YES"))
                .body("offers[0].compute.cores.min", equalTo(3)).body("offers[0].compute.cores.max", equalTo(3));
        String topLevel = request.replace("\"resources\": {\"computer\": [", "\"computer\": ").replace("}]},\n", "},\n");
        assertThat(topLevel).contains("\"computer\": {\"type\"").doesNotContain("resources");
        client().contentType("application/json").accept("application/json").body(topLevel)
                .post("/ivoa/offersets").then().statusCode(303).body("result", equalTo("YES"))
                .body("offers[0].compute.cores.max", equalTo(3));
    }

    @Test
    void answersNoForWhatItCannotRun() throws Exception {
        client().contentType("application/yaml").accept("application/json")
                .body(example("interim-type-2025-05/011-001-offerset-request.yaml")).post("/ivoa/offersets")
                .then().statusCode(303).body("result", equalTo("NO"))
                .body("messages.template", hasItem(containsString("skao-data-resource")))
                .body("messages.template", everyItem(not(containsString("docker-container"))));
    }

    @Test
    void takesEveryDockerContainerThePeersExamplesAskFor() throws Exception {
        for (String file : List.of("006-001", "008-001", "009-001", "010-001", "012-007", "022-001")) {
            Response answer = client().contentType("application/yaml").accept("application/json")
                    .body(example("interim-type-2025-05/" + file + "-offerset-request.yaml")).post("/ivoa/offersets");
            assertThat(answer.statusCode()).as(file).isEqualTo(303);
            assertThat(answer.jsonPath().getList("messages.template", String.class)).as(file)
                    .noneMatch(message -> message.contains("executable type"));
        }
    }

    @Test
    void offersADockerContainerInTheCurrentAndTheDraftShapes() throws Exception {
        client().contentType("application/yaml").accept("application/json").body(example("ours-1.0.7/docker-container.yaml"))
                .post("/ivoa/offersets").then().statusCode(303).body("result", equalTo("YES"))
                .body("offers.size()", equalTo(4))
                .body("offers.compute.cores.min", everyItem(org.hamcrest.Matchers.isOneOf(1, 2)));
        client().contentType("application/json").accept("application/json").body(example("ours-1.0.7/docker-container-draft.json"))
                .post("/ivoa/offersets").then().statusCode(303).body("result", equalTo("YES"))
                .body("offers[0].compute.cores.max", equalTo(1));
    }

    @Test
    void answersNoWithAReasonForEachPartOfAContainerItCannotGive() throws Exception {
        client().contentType("application/yaml").accept("application/json").body(example("ours-1.0.7/what-we-cannot-run.yaml"))
                .post("/ivoa/offersets").then().statusCode(303).body("result", equalTo("NO"))
                .body("messages.template", hasItem(containsString("privileged containers are not run")))
                .body("messages.template", hasItem(containsString("published network ports")))
                .body("messages.template", hasItem(containsString("linux/amd64 images, not linux/arm64")))
                .body("messages.template", hasItem(containsString("volume at '/input' names data that is not staged here: input-data")))
                .body("messages.template", hasItem(containsString("no Rucio backend yet")))
                .body("messages.template", hasItem(containsString("no SKA data-lake backend yet")));
        client().contentType("application/yaml").accept("application/json").body(example("ours-1.0.7/singularity-container.yaml"))
                .post("/ivoa/offersets").then().statusCode(303).body("result", equalTo("NO"))
                .body("messages.template", hasItem(containsString("need apptainer")));
    }

    @Test
    void offersCarryExactCostsAndMetricsAndKeepTheMostCostAsked() throws Exception {
        String document = example("ours-1.0.7/docker-container.yaml");
        Response answer = client().contentType("application/yaml").accept("application/json").body(document).post("/ivoa/offersets");
        assertThat(answer.statusCode()).isEqualTo(303);
        JsonNode offer = new YAMLMapper().readTree(answer.asString()).path("offers").get(0);
        JsonNode coreHours = offer.path("costs").get(0);
        assertThat(coreHours.path("kind").asText()).endsWith("kinds/costs/simple-minmax-float-cost.yaml");
        assertThat(coreHours.path("type").asText()).isEqualTo("urn:orrery:cost:core-hours");
        assertThat(coreHours.path("min").asDouble()).isEqualTo(coreHours.path("max").asDouble()).isEqualTo(2.0);
        assertThat(offer.path("metrics").findValuesAsText("type"))
                .containsExactly("urn:orrery:metric:start-delay-seconds", "urn:orrery:metric:preparation-seconds");

        String atMostOneCoreHour = document.replace("schedule:", """
                costs:
                  - kind: "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/costs/simple-minmax-float-cost.yaml"
                    type: "urn:orrery:cost:core-hours"
                    max: 1.0
                  - kind: "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/costs/simple-minmax-float-cost.yaml"
                    type: "urn:ivoa:calycopis:cost:monetary"
                    max: 1.0
                schedule:""");
        client().contentType("application/yaml").accept("application/json").body(atMostOneCoreHour).post("/ivoa/offersets")
                .then().statusCode(303).body("result", equalTo("YES"))
                .body("offers.compute.cores.max", everyItem(equalTo(1)));
        String withAMetric = document.replace("schedule:", """
                metrics:
                  - kind: "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/metrics/simple-minmax-float-metric.yaml"
                    type: "urn:ivoa:calycopis:metric:compute-performance"
                    min: 50.0
                schedule:""");
        client().contentType("application/yaml").accept("application/json").body(withAMetric).post("/ivoa/offersets")
                .then().statusCode(303).body("result", equalTo("NO"))
                .body("messages.template", hasItem(containsString("compute-performance' is not one this broker can promise")));
    }

    @Test
    void stagesIvoaDataByItsDataLinkRowOrItsObsCoreAccessUrl() throws Exception {
        Response answer = client().contentType("application/yaml").accept("application/json")
                .body(example("ours-1.0.7/ivoa-data.yaml")).post("/ivoa/offersets");
        assertThat(answer.statusCode()).isEqualTo(303);
        String offer = answer.jsonPath().getString("offers[0].uuid");
        assertThat(answer.jsonPath().getString("result")).isEqualTo("YES");

        io.restassured.path.json.JsonPath steps = client().accept("application/json").get("/api/v1/executions/" + offer)
                .then().statusCode(200).extract().jsonPath();
        assertThat(steps.getList("steps.url", String.class)).contains("https://data.example.org/files/42.fits",
                "datalink+https://data.example.org/datalink?ID=ivo://example.org/obs?43");
        assertThat(steps.getList("steps.name", String.class)).contains("obs-42.fits", "obs-43.fits");

        String onlyAnIdentifier = """
                executable:
                  kind: "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/executable/docker-container.yaml"
                  image: {locations: ["images.canfar.net/skaha/terminal:1.1.2"]}
                data:
                  - kind: "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/data/ivoa-data-resource.yaml"
                    meta: {name: "obs-42.fits"}
                    ivoa: {ivoid: "ivo://example.org/obs?42"}
                """;
        client().contentType("application/yaml").accept("application/json").body(onlyAnIdentifier).post("/ivoa/offersets")
                .then().statusCode(303).body("result", equalTo("NO"))
                .body("messages.template", hasItem(containsString("only an identifier (ivo://example.org/obs?42)")));
    }

    @Test
    void aSimpleStorageResourceIsSpaceInTheSessionFolderWithinTheQuota() throws Exception {
        String document = example("ours-1.0.7/docker-container.yaml");
        String storage = """
                storage:
                  - kind: "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/storage/simple-storage-resource.yaml"
                    size: {min: %d, max: %d}
                schedule:""";
        client().contentType("application/yaml").accept("application/json").body(document.replace("schedule:", storage.formatted(5, 10)))
                .post("/ivoa/offersets").then().statusCode(303).body("result", equalTo("YES"));
        client().contentType("application/yaml").accept("application/json").body(document.replace("schedule:", storage.formatted(500, 800)))
                .post("/ivoa/offersets").then().statusCode(303).body("result", equalTo("NO"))
                .body("messages.template", hasItem(containsString("at least 500 GiB of storage")));
    }

    @Test
    void aVolumeMountPutsStagedDataAtItsPathInTheContainer() throws Exception {
        String document = example("ours-1.0.7/docker-container.yaml").replace("""
                  memory:
                    min: 1
                    max: 4
                """, """
                  memory:
                    min: 1
                    max: 4
                  volumes:
                    - kind: "https://www.purl.org/ivoa.net/Calycopis-openapi/schema/v1.0/kinds/volume/simple-volume-mount.yaml"
                      path: "/input"
                      mode: "READONLY"
                      resource: "obs.fits"
                """);
        assertThat(document).contains("resource: \"obs.fits\"");
        client().contentType("application/yaml").accept("application/json").body(document).post("/ivoa/offersets")
                .then().statusCode(303).body("result", equalTo("YES"));
        String notebook = example("interim-type-2025-05/005-001-offerset-request.yaml");
        client().contentType("application/yaml").accept("application/json").body(notebook).post("/ivoa/offersets")
                .then().statusCode(303).body("result", equalTo("NO"))
                .body("messages.template", hasItem(containsString("volume mounts need a docker-container")));
    }

    @Test
    void refusesWhatIsNotTheStandard() {
        client().contentType("application/json").body("{\"executable\": {\"kind\": \"jupyter-notebook\", \"location\": \"x\"},"
                + " \"colour\": \"red\"}").post("/ivoa/offersets").then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:unknown-field"));
        client().contentType("application/yaml").body("executable: [unclosed").post("/ivoa/offersets").then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:malformed-request"));
        client().contentType("application/json").body("{\"kind\": \"uri:enum-value-update\", \"path\": \"/phase\", \"value\": \"RUNNING\"}")
                .post("/ivoa/sessions/00000000-0000-0000-0000-000000000000").then().statusCode(400);
        client().get("/ivoa/sessions/not-a-uuid").then().statusCode(404);
    }

    @Test
    void aTokenMakesTheCallerTheOwner() throws Exception {
        String location = client().auth().oauth2(JwtTestResource.token("zoe")).contentType("application/yaml")
                .accept("application/json").body(example("interim-type-2025-05/002-001-offerset-request.yaml"))
                .post("/ivoa/offersets").then().statusCode(303).extract().header("Location");

        client().accept("application/json").get(location).then().statusCode(404);
        client().auth().oauth2(JwtTestResource.token("zoe")).accept("application/json").get(location).then().statusCode(200);
    }
}
