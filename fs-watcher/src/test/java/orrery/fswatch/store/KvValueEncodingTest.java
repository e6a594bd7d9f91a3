package orrery.fswatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import orrery.fswatch.domain.IndexEntry;
import orrery.model.envelope.EnvelopeCodec;
import org.junit.jupiter.api.Test;

class KvValueEncodingTest {

    private final ObjectMapper json = new EnvelopeCodec().mapper();

    @Test
    void theHandWrittenValueIsWhatJacksonWritesAndReadsBack() throws Exception {
        for (String path : new String[] {"a.txt", "d00001/f000123.dat", "quote\"back\\slash", "tab\tnew\nline\u0001",
                "ünïcødé/日本語/😀.txt"}) {
            for (IndexEntry entry : new IndexEntry[] {
                    new IndexEntry(path, 1024, 1_700_000_000_123_456_789L, 42, "ab".repeat(32), 7),
                    new IndexEntry(path, 0, -5, 0, null, 0)}) {
                byte[] mine = KvIndexStore.encode(path, entry);
                byte[] jackson = json.writeValueAsBytes(new KvIndexStore.Value(path, entry.size(), entry.mtimeNanos(),
                        entry.inode(), entry.sha256(), null));

                assertThat(json.readTree(mine)).isEqualTo(json.readTree(jackson));
                KvIndexStore.Value read = json.readValue(mine, KvIndexStore.Value.class);
                assertThat(read.path()).isEqualTo(path);
                assertThat(read.sha256()).isEqualTo(entry.sha256());
                assertThat(read.mtime()).isEqualTo(entry.mtimeNanos());
            }
        }
    }
}
