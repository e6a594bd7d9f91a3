package orrery.fswatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogChunkTest {

    @Test
    void takesCompleteLinesAndLeavesThePartialOne() {
        LogChunk chunk = LogChunk.of(bytes("one\ntwo\r\nthr", 64), false, 100);
        assertThat(chunk.lines()).containsExactly("one", "two");
        assertThat(chunk.consumed()).isEqualTo(9);
    }

    @Test
    void takesThePartialLineWhenTheFileIsFinished() {
        LogChunk chunk = LogChunk.of(bytes("one\nlast", 64), true, 100);
        assertThat(chunk.lines()).containsExactly("one", "last");
        assertThat(chunk.consumed()).isEqualTo(8);
    }

    @Test
    void aLineLongerThanTheCapIsTakenAsItIs() {
        LogChunk chunk = LogChunk.of(bytes("abcdefgh", 8), false, 100);
        assertThat(chunk.lines()).containsExactly("abcdefgh");
        assertThat(chunk.consumed()).isEqualTo(8);
    }

    @Test
    void stopsAtTheLineCap() {
        LogChunk chunk = LogChunk.of(bytes("a\nb\nc\n", 64), false, 2);
        assertThat(chunk.lines()).containsExactly("a", "b");
        assertThat(chunk.consumed()).isEqualTo(4);
    }

    @Test
    void replacesBytesThatAreNotUtf8() {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.put(new byte[] {'o', 'k', (byte) 0xff, '\n'}).flip();
        assertThat(LogChunk.of(buffer, false, 10).lines()).containsExactly("ok\uFFFD");
    }

    private static ByteBuffer bytes(String text, int capacity) {
        ByteBuffer buffer = ByteBuffer.allocate(capacity);
        buffer.put(text.getBytes(StandardCharsets.UTF_8)).flip();
        return buffer;
    }
}
