package orrery.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import orrery.broker.domain.ReservationRequest;
import orrery.model.problem.ProblemException;
import org.junit.jupiter.api.Test;

class ReservationRequestsTest {

    @Test
    void readsAndChecksReservationRequests() throws Exception {
        ObjectMapper json = new ObjectMapper();

        ReservationRequest ok = ReservationRequests.parse(json.readTree(
                "{\"start_time\":1707165008,\"end_time\":1707168608,\"amount\":4,\"user_id\":\"alice\"}"));

        assertThat(ok).isEqualTo(new ReservationRequest(1707165008L, 1707168608L, 4, "alice"));
        assertRefused(json, "{\"start_time\":\"1707165008\",\"end_time\":1707168608,\"amount\":4}", "not-unix-seconds", "string");
        assertRefused(json, "{\"start_time\":1707165008.5,\"end_time\":1707168608,\"amount\":4}", "not-unix-seconds", "fraction");
        assertRefused(json, "{\"start_time\":-5,\"end_time\":1707168608,\"amount\":4}", "not-unix-seconds", "negative");
        assertRefused(json, "{\"start_time\":17071650080,\"end_time\":17071686080,\"amount\":4}", "not-unix-seconds", "10 digits");
        assertRefused(json, "{\"start_time\":1707168608,\"end_time\":1707165008,\"amount\":4}", "start-not-before-end", "before");
        assertRefused(json, "{\"start_time\":1707165008,\"end_time\":1707168608,\"amount\":0}", "invalid-amount", "positive");
        assertRefused(json, "{\"start_time\":1707165008,\"end_time\":1707168608,\"amount\":2.5}", "invalid-amount", "positive");
        assertRefused(json, "{\"start_time\":1707165008,\"end_time\":1707168608,\"amount\":4,\"cores\":4}", "unknown-field", "cores");
        assertRefused(json, "{\"end_time\":1707168608,\"amount\":4}", "missing-field", "start_time");
    }

    private static void assertRefused(ObjectMapper json, String body, String slug, String detail) throws Exception {
        assertThatThrownBy(() -> ReservationRequests.parse(json.readTree(body)))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining(detail)
                .satisfies(e -> assertThat(((ProblemException) e).problem().slug()).isEqualTo(slug));
    }
}
