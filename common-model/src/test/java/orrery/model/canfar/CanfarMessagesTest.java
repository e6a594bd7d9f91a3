package orrery.model.canfar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import orrery.model.json.Json;
import org.junit.jupiter.api.Test;

/** The canfar messages on the wire: field names, optional fields, and strictness. */
class CanfarMessagesTest {

    private final ObjectMapper json = Json.strictMapper();

    @Test
    void aLaunchTaskRoundTripsWithAndWithoutABookingEnd() throws Exception {
        LaunchTask withoutEnd = new LaunchTask("t1", "e1", "alice", "demo", "images.canfar.net/skaha/terminal:1",
                SessionKind.headless, 2, 4, "python3", List.of("run.py"), Map.of("MODE", "quick"), "home/alice/broker/e1");
        LaunchTask withEnd = new LaunchTask("t1", "e1", "alice", "demo", "images.canfar.net/skaha/terminal:1",
                SessionKind.headless, 2, 4, "python3", List.of("run.py"), Map.of("MODE", "quick"), "home/alice/broker/e1",
                Instant.parse("2024-08-30T11:45:00Z"));

        String plain = json.writeValueAsString(withoutEnd);
        String booked = json.writeValueAsString(withEnd);

        assertThat(plain).doesNotContain("until");
        assertThat(booked).contains("\"until\":\"2024-08-30T11:45:00Z\"");
        assertThat(json.readValue(plain, LaunchTask.class)).isEqualTo(withoutEnd);
        assertThat(json.readValue(booked, LaunchTask.class)).isEqualTo(withEnd);
    }

    @Test
    void aLaunchTaskWithoutArgsOrEnvHasEmptyOnes() throws Exception {
        LaunchTask task = json.readValue("""
                {"taskId":"t1","executionId":"e1","user":"alice","name":"nb","image":"images.canfar.net/x:1",
                 "kind":"notebook","cores":1,"ram":2}""", LaunchTask.class);

        assertThat(task.args()).isEmpty();
        assertThat(task.env()).isEmpty();
        assertThat(task.until()).isNull();
    }

    @Test
    void refusesAnUnknownKindAndAMissingImage() {
        assertThatThrownBy(() -> json.readValue("""
                {"taskId":"t1","executionId":"e1","user":"alice","name":"nb","image":"x","kind":"desktop","cores":1,"ram":2}""",
                LaunchTask.class)).hasMessageContaining("desktop");
        assertThatThrownBy(() -> json.readValue("""
                {"taskId":"t1","executionId":"e1","user":"alice","name":"nb","kind":"headless","cores":1,"ram":2}""",
                LaunchTask.class)).hasMessageContaining("image");
    }

    @Test
    void resultsAndEventsKeepTheirShape() throws Exception {
        assertThat(json.writeValueAsString(new DeleteResult("s1", SessionStatus.Terminated, null)))
                .isEqualTo("{\"sessionId\":\"s1\",\"status\":\"Terminated\"}");
        assertThat(json.writeValueAsString(new LaunchResult("s1", SessionStatus.Pending, null)))
                .isEqualTo("{\"sessionId\":\"s1\",\"status\":\"Pending\"}");
        SessionEvent event = new SessionEvent("s1", "t1", "e1", SessionStatus.Failed,
                Instant.parse("2024-08-30T09:45:00Z"), null, 137, "killed");
        assertThat(json.readValue(json.writeValueAsString(event), SessionEvent.class)).isEqualTo(event);
        assertThat(SessionStatus.Terminated.isFinal()).isTrue();
        assertThat(SessionStatus.Terminating.isFinal()).isFalse();
    }
}
