package orrery.model.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import orrery.model.json.Json;
import org.junit.jupiter.api.Test;

class FsEventTest {

    private final ObjectMapper mapper = Json.strictMapper();
    private static final Instant MTIME = Instant.parse("2024-08-30T09:45:00.123456789Z");
    private static final String SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void modifiedEventsTravelAsTheIssueShowsThem() throws Exception {
        FsEvent event = FsEvent.modified("docs", "a/b.txt", 12, MTIME, SHA, "00");

        String json = mapper.writeValueAsString(event);

        assertThat(json).isEqualTo("{\"root\":\"docs\",\"path\":\"a/b.txt\",\"kind\":\"MODIFIED\",\"size\":12,"
                + "\"mtime\":\"2024-08-30T09:45:00.123456789Z\",\"sha256\":\"" + SHA + "\",\"previousSha256\":\"00\"}");
        assertThat(mapper.readValue(json, FsEvent.class)).isEqualTo(event);
    }

    @Test
    void appendedAndMovedRoundTrip() throws Exception {
        FsEvent appended = FsEvent.appended("logs", "run.log", 20, MTIME, 8, 20, List.of("one", "two"));
        FsEvent moved = FsEvent.moved("docs", "old/x.txt", "new/x.txt", 3, MTIME, SHA, null);

        assertThat(mapper.readValue(mapper.writeValueAsString(appended), FsEvent.class)).isEqualTo(appended);
        assertThat(mapper.readValue(mapper.writeValueAsString(moved), FsEvent.class)).isEqualTo(moved);
        assertThat(mapper.writeValueAsString(moved)).contains("\"from\":\"old/x.txt\"").doesNotContain("lines");
    }

    @Test
    void refusesEventsThatMissWhatTheirKindNeeds() {
        assertThatThrownBy(() -> new FsEvent("r", "p", FsChangeKind.MODIFIED, 1L, MTIME, null, null, null, null, null,
                null)).hasMessageContaining("MODIFIED event needs size, mtime and sha256");
        assertThatThrownBy(() -> new FsEvent("r", "p", FsChangeKind.MOVED, 1L, MTIME, SHA, null, null, null, null,
                null)).hasMessageContaining("from");
        assertThatThrownBy(() -> FsEvent.appended("r", "p", 1, MTIME, 9, 3, List.of()))
                .hasMessageContaining("rangeStart <= rangeEnd");
        assertThatThrownBy(() -> mapper.readValue("{\"root\":\"r\",\"path\":\"p\"}", FsEvent.class))
                .hasMessageContaining("kind");
    }
}
