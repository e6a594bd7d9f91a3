package orrery.deps.it;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import orrery.testsupport.JwtTestResource;

/** Requests with a caller: every endpoint of the service wants a bearer token. */
final class Api {

    private Api() {
    }

    /** A request as the ordinary user {@code user}. */
    static RequestSpecification as(String user) {
        return given().auth().oauth2(JwtTestResource.token(user));
    }

    /** A request as an administrator, who sees every build (the tests' observer). */
    static RequestSpecification asAdmin() {
        return given().auth().oauth2(JwtTestResource.admin("root"));
    }
}
