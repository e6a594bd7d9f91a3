package orrery.model.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import orrery.model.json.Json;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void writesExtensionsAsTopLevelMembers() throws JsonProcessingException {
        Problem problem = Problem.of("not-enough-capacity", 409, "Not enough capacity", "only 12 cores free")
                .with("largestFree", 12)
                .at("/api/v1/pools/default/reservations");

        String json = Json.strictMapper().writeValueAsString(problem);

        assertThat(json).isEqualTo("{\"type\":\"urn:orrery:problem:not-enough-capacity\",\"title\":\"Not enough capacity\","
                + "\"status\":409,\"detail\":\"only 12 cores free\",\"instance\":\"/api/v1/pools/default/reservations\","
                + "\"largestFree\":12}");
        assertThat(problem.slug()).isEqualTo("not-enough-capacity");
    }

    @Test
    void refusesExtensionsThatShadowStandardMembers() {
        assertThatThrownBy(() -> Problem.of("x", 400, "X", null).with("status", 500))
                .hasMessageContaining("would hide a standard member");
    }
}
