package orrery.broker.api.ivoa;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import orrery.testsupport.JwtTestResource;
import orrery.testsupport.NatsTestResource;
import orrery.testsupport.PostgresTestResource;
import org.junit.jupiter.api.Test;

/**
 * Where an operator lets clients without a token use /ivoa, they may ask for offers and read
 * them, and nothing more: accepting, rejecting or cancelling needs a token.
 */
@QuarkusTest
@TestProfile(IvoaAnonymousTest.AnonymousAllowed.class)
@WithTestResource(NatsTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
class IvoaAnonymousTest {

    public static class AnonymousAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orrery.broker.ivoa.anonymous-user", "ivoa-guest");
        }
    }

    @Test
    void anAnonymousCallerMayAskForOffersButNeverAcceptOne() throws Exception {
        Response created = IvoaApiTest.anonymous().contentType("application/yaml").accept("application/json")
                .body(IvoaApiTest.example("v1.0-kind-meta-2025-11/001-001-offerset-request.yaml")).post("/ivoa/offersets");
        created.then().statusCode(303).body("result", equalTo("YES"));
        String offer = created.jsonPath().getString("offers[0].uuid");
        IvoaApiTest.anonymous().accept("application/json").get(created.header("Location")).then().statusCode(200);

        String accept = "{\"kind\": \"uri:enum-value-update\", \"path\": \"/phase\", \"value\": \"ACCEPTED\"}";
        IvoaApiTest.anonymous().contentType("application/json").body(accept).post("/ivoa/sessions/" + offer)
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("may only ask for offers"));
        IvoaApiTest.anonymous().accept("application/json").get("/ivoa/sessions/" + offer).then().statusCode(200)
                .body("phase", equalTo("OFFERED"));
        // Someone else's token does not make the guest's offer theirs.
        IvoaApiTest.anonymous().auth().oauth2(JwtTestResource.token("mallory")).contentType("application/json").body(accept)
                .post("/ivoa/sessions/" + offer).then().statusCode(404);
    }
}
