package orrery.broker.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import orrery.broker.service.OfferExpiry;
import orrery.model.time.ManualTimeSource;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * Offer sets end to end inside the broker: planning against the calendar, provisional
 * reservations, accept/reject/expiry. The staging and canfar services are not running here, so
 * the documented quote fallbacks apply (one hour per item, five minutes of start-up).
 */
@QuarkusTest
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class OffersApiTest {

    @Inject
    ManualTimeSource time;

    @Inject
    OfferExpiry expiry;

    private static RequestSpecification as(String user, String... groups) {
        return given().auth().oauth2(JwtTestResource.token(user, groups)).contentType(ContentType.JSON);
    }

    /** The issue's example request. */
    private static Map<String, Object> example(String start, String pool) {
        return Map.of(
                "name", "example",
                "executable", Map.of("kind", "jupyter-notebook",
                        "location", Map.of("url", "https://raw.githubusercontent.com/Zarquan/binder-demo/main/02_dmhh.ipynb"),
                        "checks", Map.of("size", 1234, "md5", "0123456789abcdef0123456789abcdef")),
                "resources", Map.of(
                        "compute", List.of(Map.of("cores", Map.of("min", 4, "max", 4), "memory", Map.of("min", 8, "max", 8))),
                        "data", List.of(Map.of("name", "obs.fits", "location", Map.of("url", "https://ws-uv.canfar.net/data/obs.fits"),
                                "checks", Map.of("size", 2880)))),
                "schedule", Map.of("requested", List.of(Map.of("start", start,
                        "duration", Map.of("min", "PT2H", "max", "PT3H")))),
                "pool", pool);
    }

    @Test
    void answersTheExampleWithOffersInsideTheWindow() {
        JsonPath set = as("alice").body(example("2024-08-30T09:45:00Z/PT1H", "default")).post("/api/v1/offersets")
                .then().statusCode(201).header("Location", containsString("/api/v1/offersets/"))
                .body("result", equalTo("YES"))
                .body("offers", not(hasSize(0)))
                .body("offers.phase", everyItem(equalTo("OFFERED")))
                .extract().jsonPath();

        List<Map<String, Object>> offers = set.getList("offers");
        assertThat(offers).hasSizeBetween(1, 4);
        Instant windowStart = Instant.parse("2024-08-30T09:45:00Z");
        Instant windowEnd = Instant.parse("2024-08-30T10:45:00Z");
        for (int i = 0; i < offers.size(); i++) {
            Instant start = Instant.parse(set.getString("offers[" + i + "].schedule.executing.start"));
            Instant prep = Instant.parse(set.getString("offers[" + i + "].schedule.preparing.start"));
            Duration prepCost = Duration.parse(set.getString("offers[" + i + "].schedule.preparing.duration"));
            assertThat(start).isBetween(windowStart, windowEnd);
            assertThat(prep).isEqualTo(start.minus(prepCost)).isAfterOrEqualTo(time.now());
            assertThat(set.getInt("offers[" + i + "].compute.cores")).isEqualTo(4);
            assertThat(set.getString("offers[" + i + "].schedule.executing.duration")).isIn("PT3H", "PT2H");
        }
        // Fallbacks: folder 5 s + the slowest item 1 h + start-up 5 min.
        assertThat(set.getString("offers[0].schedule.preparing.duration")).isEqualTo("PT1H5M5S");
        assertThat(set.getList("reasons", String.class)).anyMatch(r -> r.contains("staging service did not answer"));
    }

    @Test
    void acceptingMakesAnExecutionAndRejectsTheSiblings() {
        String start = time.now().plus(Duration.ofHours(3)) + "/PT1H";
        JsonPath set = as("bob").body(example(start, "default")).post("/api/v1/offersets").then().statusCode(201)
                .extract().jsonPath();
        List<String> ids = set.getList("offers.id", String.class);
        assertThat(ids).hasSizeGreaterThan(1);

        as("bob").post("/api/v1/executions/" + ids.get(0) + "/accept").then().statusCode(200)
                .body("phase", equalTo("ACCEPTED")).body("steps.kind", equalTo(List.of("folder", "stage", "stage", "startup")));

        for (String sibling : ids.subList(1, ids.size())) {
            as("bob").get("/api/v1/executions/" + sibling).then().body("phase", equalTo("REJECTED"))
                    .body("reason", containsString("another offer"));
        }
        as("bob").post("/api/v1/executions/" + ids.get(0) + "/accept").then().statusCode(409)
                .body("type", equalTo("urn:orrery:problem:offer-already-decided")).body("detail", containsString("ACCEPTED"));
        as("bob").post("/api/v1/executions/" + ids.get(1) + "/accept").then().statusCode(409)
                .body("detail", containsString("REJECTED"));
        as("mallory").post("/api/v1/executions/" + ids.get(1) + "/accept").then().statusCode(404);
        as("mallory").get("/api/v1/offersets/" + set.getString("id")).then().statusCode(404);
        as("bob").get("/api/v1/offersets/" + set.getString("id")).then().statusCode(200)
                .body("offers.phase", hasItem("ACCEPTED"));
    }

    @Test
    void offersStayWithinTheCallersQuota() {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 4102444800L, "capacity", 200))))
                .put("/api/v1/pools/big").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        Instant noon = Instant.parse("2024-08-30T12:00:00Z");
        as("quentin").body(Map.of("start_time", noon.getEpochSecond(), "end_time", noon.plus(Duration.ofHours(3)).getEpochSecond(),
                "amount", 100)).post("/api/v1/pools/big/reservations").then().statusCode(201);

        Map<String, Object> ask = Map.of("executable", Map.of("kind", "command", "cmd", "hostname"),
                "schedule", Map.of("requested", List.of(Map.of("start", "2024-08-30T12:00:00Z/PT1H",
                        "duration", Map.of("min", "PT10M", "max", "PT10M")))));
        as("quentin").body(ask).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("NO")).body("reasons[0]", containsString("your quota"));
        as("ursula").body(ask).post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("YES"));
    }

    @Test
    void offersHoldCapacityUntilTheyExpire() {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 4102444800L, "capacity", 4))))
                .put("/api/v1/pools/small").then().statusCode(201);
        String start = time.now().plus(Duration.ofHours(2)) + "/PT10M";
        JsonPath first = as("carol").body(example(start, "small")).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("YES")).extract().jsonPath();

        as("dan").body(example(start, "small")).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("NO")).body("reasons[0]", containsString("cores free"));

        time.advance(Duration.ofMinutes(11));
        as("carol").post("/api/v1/executions/" + first.getString("offers[0].id") + "/accept").then().statusCode(409)
                .body("type", equalTo("urn:orrery:problem:offer-expired"));
        expiry.sweep().await().atMost(Duration.ofSeconds(10)); // the periodic sweep may have run on the way already
        as("carol").get("/api/v1/executions/" + first.getString("offers[0].id")).then().body("phase", equalTo("EXPIRED"));
        as("dan").body(example(time.now().plus(Duration.ofHours(2)) + "/PT10M", "small")).post("/api/v1/offersets")
                .then().statusCode(201).body("result", equalTo("YES"));
    }

    @Test
    void rejectingReleasesTheHold() {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 4102444800L, "capacity", 4))))
                .put("/api/v1/pools/tiny").then().statusCode(201);
        String start = time.now().plus(Duration.ofHours(2)) + "/PT0S";
        String offer = as("erin").body(example(start, "tiny")).post("/api/v1/offersets").then().statusCode(201)
                .extract().jsonPath().getString("offers[0].id");

        as("erin").post("/api/v1/executions/" + offer + "/reject").then().statusCode(200).body("phase", equalTo("REJECTED"));

        as("fred").body(example(start, "tiny")).post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("YES"));
    }

    @Test
    void answersNoWithReasonsAPersonCanActOn() {
        as("gus").body(example("2024-08-30T08:10:00Z/PT5M", "default")).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("NO")).body("offers", hasSize(0))
                .body("reasons[0]", containsString("closes before preparation"));
        as("gus").body(example("2024-02-10T09:45:00Z/PT1H", "schedule-1")).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("NO")).body("reasons[0]", containsString("closes before preparation"));
    }

    @Test
    void refusesBadRequestsNamingTheField() {
        Map<String, Object> good = example("2024-08-30T09:45:00Z/PT1H", "default");
        as("hal").body(with(good, "priority", "high")).post("/api/v1/offersets").then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:unknown-field")).body("field", equalTo("priority"));
        as("hal").body(with(good, "schedule", Map.of("requested", List.of(Map.of("start", "tomorrow at nine")))))
                .post("/api/v1/offersets").then().statusCode(400).body("type", equalTo("urn:orrery:problem:invalid-time"));
        as("hal").body(with(good, "schedule", Map.of("requested", List.of(Map.of("start", "2024-08-30T09:45:00Z/PT1H",
                        "duration", Map.of("min", "PT3H", "max", "PT2H"))))))
                .post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("schedule.requested[0].duration"));
        as("hal").body(with(good, "executable", Map.of("kind", "fortran-deck"))).post("/api/v1/offersets").then()
                .statusCode(400).body("type", equalTo("urn:orrery:problem:unsupported-executable"));
        as("hal").body(with(good, "executable", Map.of("kind", "command"))).post("/api/v1/offersets").then()
                .statusCode(400).body("field", equalTo("executable.cmd"));
        as("hal").body(with(good, "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 0, "max", 2))))))
                .post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("resources.compute[0].cores"));
        as("hal").body(Map.of("name", "x")).post("/api/v1/offersets").then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:missing-field")).body("field", equalTo("executable"));
        as("hal").body(with(good, "pool", "nowhere")).post("/api/v1/offersets").then().statusCode(404)
                .body("type", equalTo("urn:orrery:problem:unknown-pool"));
        given().contentType(ContentType.JSON).body(good).post("/api/v1/offersets").then().statusCode(401);
        as("hal").get("/api/v1/executions/not-a-uuid").then().statusCode(404);
        as("hal").queryParam("phase", "DREAMING").get("/api/v1/executions").then().statusCode(400)
                .body("type", equalTo("urn:orrery:problem:invalid-phase"));
    }

    @Test
    void offersAContainerImagePinnedByItsDigestAndRefusesOneThatIsNotAReference() {
        Map<String, Object> good = example(time.now().plus(Duration.ofHours(3)) + "/PT1H", "default");
        String digest = "sha256:" + "ab12".repeat(16);
        Map<String, Object> container = Map.of("kind", "container", "image", "images.canfar.net/skaha/terminal:1.1.2",
                "digest", digest, "entrypoint", "/bin/sh", "args", List.of("-c", "md5sum obs.fits"), "env", Map.of("MODE", "x"));
        as("jill").body(with(good, "executable", container)).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("YES"));
        as("jill").body(with(good, "executable", Map.of("kind", "container", "image", "images.canfar.net/skaha/terminal:1.1.2")))
                .post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("YES"));

        as("jill").body(with(good, "executable", Map.of("kind", "container"))).post("/api/v1/offersets").then()
                .statusCode(400).body("field", equalTo("executable.image"));
        as("jill").body(with(good, "executable", Map.of("kind", "container", "image", "x/y:1@" + digest)))
                .post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("executable.image"));
        as("jill").body(with(good, "executable", Map.of("kind", "container", "image", "x/y:1", "digest", "md5:abc")))
                .post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("executable.digest"));
        as("jill").body(with(good, "executable", Map.of("kind", "container", "image", "x/y:1", "cmd", "python3")))
                .post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("executable.cmd"));
    }

    @Test
    void everyOfferCarriesItsCostsAndNoneExceedsTheLimitsAsked() {
        as("root", "admin").body(Map.of("segments", List.of(Map.of("start_time", 0, "end_time", 4102444800L, "capacity", 64))))
                .put("/api/v1/pools/priced").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        Map<String, Object> ask = new java.util.LinkedHashMap<>(Map.of(
                "executable", Map.of("kind", "command", "cmd", "hostname"), "pool", "priced",
                "resources", Map.of("compute", List.of(Map.of("cores", Map.of("min", 1, "max", 8)))),
                "schedule", Map.of("requested", List.of(Map.of("start", time.now().plus(Duration.ofHours(1)) + "/PT1H",
                        "duration", Map.of("min", "PT30M", "max", "PT2H"))))));

        JsonPath asked = as("kim").body(ask).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("YES")).extract().jsonPath();
        assertThat(asked.getDouble("offers[0].costs.coreHours")).isEqualTo(asked.getInt("offers[0].compute.cores")
                * Duration.parse(asked.getString("offers[0].schedule.executing.duration")).toMinutes() / 60.0);
        assertThat(asked.getDouble("offers[0].costs.price")).isEqualTo(asked.getDouble("offers[0].costs.coreHours") * 0.05,
                org.assertj.core.data.Offset.offset(1e-4));
        assertThat(asked.getString("offers[0].costs.currency")).isEqualTo("GBP");
        assertThat(asked.getDouble("offers[0].costs.gramsCo2")).isEqualTo(asked.getDouble("offers[0].costs.coreHours") * 120,
                org.assertj.core.data.Offset.offset(1e-3));
        assertThat(Duration.parse(asked.getString("offers[0].costs.startDelay"))).isGreaterThanOrEqualTo(Duration.ofHours(1));

        ask.put("limits", Map.of("maxPrice", 0.2));
        JsonPath capped = as("kim").body(ask).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("YES")).extract().jsonPath();
        assertThat(capped.getList("offers.costs.price", Double.class)).isNotEmpty().allMatch(price -> price <= 0.2);
        ask.put("limits", Map.of("maxCoreHours", 0.25));
        as("kim").body(ask).post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("NO"))
                .body("reasons[0]", containsString("1 core for PT30M, is 0.5 core-hours, more than the 0.25 core-hours"));
        ask.put("limits", Map.of("maxPrice", -1));
        as("kim").body(ask).post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("limits.maxPrice"));
        ask.put("pool", "default");
        ask.put("limits", Map.of("maxGramsCo2", 100));
        as("kim").body(ask).post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("NO"))
                .body("reasons[0]", containsString("no carbon intensity configured"));
    }

    @Test
    void aSessionsStorageAndItsDataMustFitTheQuota() {
        Map<String, Object> good = example(time.now().plus(Duration.ofHours(3)) + "/PT1H", "default");
        Map<String, Object> compute = Map.of("cores", Map.of("min", 1, "max", 1));
        Map<String, Object> item = Map.of("name", "big.fits", "location", Map.of("url", "https://ws-uv.canfar.net/data/big.fits"),
                "checks", Map.of("size", 3L << 30));

        as("lou").body(with(good, "resources", Map.of("compute", List.of(compute), "storage", Map.of("min", 10, "max", 20))))
                .post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("YES"));
        as("lou").body(with(good, "resources", Map.of("compute", List.of(compute), "storage", Map.of("min", 500))))
                .post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("NO"))
                .body("reasons[0]", containsString("at least 500 GiB of storage"));
        as("lou").body(with(good, "resources", Map.of("compute", List.of(compute), "data", List.of(item),
                "storage", Map.of("min", 1, "max", 2)))).post("/api/v1/offersets").then().statusCode(201)
                .body("result", equalTo("NO")).body("reasons[0]", containsString("the data to stage is 3.0 GiB"));
        as("lou").body(with(good, "resources", Map.of("compute", List.of(compute), "storage", Map.of("min", 0))))
                .post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("resources.storage"));
    }

    @Test
    void aContainersVolumesNameStagedItemsAtAbsolutePaths() {
        Map<String, Object> good = example(time.now().plus(Duration.ofHours(3)) + "/PT1H", "default");
        Map<String, Object> container = Map.of("kind", "container", "image", "images.canfar.net/skaha/terminal:1.1.2");
        Map<String, Object> item = Map.of("name", "obs.fits", "location", Map.of("url", "https://ws-uv.canfar.net/data/obs.fits"));
        java.util.function.Function<Object, Map<String, Object>> withVolumes = volumes -> with(with(good, "executable", container),
                "resources", Map.of("data", List.of(item), "volumes", volumes));

        as("mo").body(withVolumes.apply(List.of(Map.of("path", "/input", "data", List.of("obs.fits"))))).post("/api/v1/offersets")
                .then().statusCode(201).body("result", equalTo("YES"));
        as("mo").body(withVolumes.apply(List.of(Map.of("path", "input", "data", List.of("obs.fits"))))).post("/api/v1/offersets")
                .then().statusCode(400).body("field", equalTo("resources.volumes[0].path"));
        as("mo").body(withVolumes.apply(List.of(Map.of("path", "/in/../etc", "data", List.of("obs.fits")))))
                .post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("resources.volumes[0].path"));
        as("mo").body(withVolumes.apply(List.of(Map.of("path", "/input/obs.fits", "data", List.of("obs.fits"), "single", true))))
                .post("/api/v1/offersets").then().statusCode(201).body("result", equalTo("YES"));
        as("mo").body(withVolumes.apply(List.of(Map.of("path", "/input", "data", List.of("obs.fits", "obs.fits"), "single", true))))
                .post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("resources.volumes[0].data"));
        as("mo").body(withVolumes.apply(List.of(Map.of("path", "/input", "data", List.of("other.fits")))))
                .post("/api/v1/offersets").then().statusCode(400).body("field", equalTo("resources.volumes[0].data"));
        as("mo").body(with(good, "resources", Map.of("data", List.of(item),
                "volumes", List.of(Map.of("path", "/input", "data", List.of("obs.fits")))))).post("/api/v1/offersets")
                .then().statusCode(400).body("field", equalTo("resources.volumes"));
    }

    @Test
    void listsYourExecutionsByPhase() {
        as("ivy").body(example(time.now().plus(Duration.ofHours(4)) + "/PT1H", "default")).post("/api/v1/offersets")
                .then().statusCode(201);

        as("ivy").queryParam("phase", "OFFERED").queryParam("size", 2).get("/api/v1/executions").then().statusCode(200)
                .body("items", hasSize(2)).body("items.phase", everyItem(equalTo("OFFERED"))).body("size", equalTo(2));
        as("nobody").get("/api/v1/executions").then().statusCode(200).body("total", equalTo(0));
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        java.util.Map<String, Object> copy = new java.util.LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
