package orrery.support.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import orrery.testsupport.InjectNats;
import orrery.testsupport.NatsServer;
import orrery.testsupport.NatsTestResource;
import org.junit.jupiter.api.Test;

/**
 * A NATS server that demands a login, and a service given it through the connector's keys
 * ({@code quarkus.messaging.nats.connection.username/password}), as README's "NATS
 * authentication" describes.
 */
@QuarkusTest
@WithTestResource(value = NatsTestResource.class, initArgs = {
        @ResourceArg(name = "user", value = "orrery"),
        @ResourceArg(name = "password", value = "test-only-password")})
class NatsLoginTest {

    @InjectNats
    NatsServer nats;

    @Inject
    Connection connection;

    @Test
    void theServiceLogsInCreatesItsStreamsAndIsReady() throws Exception {
        assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        assertThat(connection.jetStreamManagement().getStreamNames()).contains("TASKS", "EVENTS", "DLQ");
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theServerRefusesAClientWithoutTheLogin() {
        Options anonymous = new Options.Builder().server(nats.url()).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(0).noReconnect().build();
        Options wrong = new Options.Builder().server(nats.url()).userInfo("orrery", "wrong")
                .connectionTimeout(Duration.ofSeconds(5)).noReconnect().build();

        assertThatThrownBy(() -> Nats.connect(anonymous).close()).hasMessageContaining("Authorization");
        assertThatThrownBy(() -> Nats.connect(wrong).close()).hasMessageContaining("Authorization");
    }
}
