package orrery.deps.it;

import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Waiting on the service's REST view of artefacts and builds, as an administrator (who sees every build). */
final class Awaits {

    private Awaits() {
    }

    /**
     * Waits until {@code artefact} is in {@code state} after a build that has ended (a cycle's
     * members pass through UP_TO_DATE between rounds) and {@code check} holds; {@code before} runs
     * on every poll (to fail early when something it relies on has died).
     */
    static JsonPath settled(String artefact, String state, Predicate<JsonPath> check, Duration patience,
                            Runnable before) {
        return await(artefact + " " + state).atMost(patience).until(() -> {
            before.run();
            JsonPath json = Api.asAdmin().get("/api/v1/artefacts/" + artefact).then().extract().jsonPath();
            String buildId = json.getString("lastBuild.buildId");
            if (!state.equals(json.getString("state")) || buildId == null || !check.test(json)) {
                return null;
            }
            return isOver(Api.asAdmin().get("/api/v1/builds/" + buildId).jsonPath()) ? json : null;
        }, json -> json != null);
    }

    /** Waits until build {@code id} has ended. */
    static JsonPath buildOver(String id, Duration patience) {
        return await("build " + id + " ends").atMost(patience).until(
                () -> Api.asAdmin().get("/api/v1/builds/" + id).then().statusCode(200).extract().jsonPath(), Awaits::isOver);
    }

    private static boolean isOver(JsonPath build) {
        return !List.of("QUEUED", "RUNNING").contains(build.getString("state"));
    }
}
