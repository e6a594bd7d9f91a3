package orrery.fswatch.domain;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The complete lines in bytes read from a growing log, and how many of those bytes they use. A
 * trailing partial line is left for the next read, unless the read filled the whole size cap
 * without a line end (a very long line) or the file is finished (rotated away), when it is
 * taken as it is.
 *
 * @param consumed bytes used, from the start of the read, through the last line end taken
 * @param lines decoded as UTF-8 (bad bytes replaced), without {@code \n} or {@code \r\n}
 */
public record LogChunk(long consumed, List<String> lines) {

    public LogChunk {
        lines = List.copyOf(lines);
    }

    /**
     * @param bytes what was read, from position 0 to its limit
     * @param takePartialLine take a final line that has no line end yet
     * @param maxLines at most this many lines; the rest waits for the next chunk
     */
    public static LogChunk of(ByteBuffer bytes, boolean takePartialLine, int maxLines) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int limit = bytes.limit();
        for (int i = 0; i < limit && lines.size() < maxLines; i++) {
            if (bytes.get(i) == '\n') {
                lines.add(decode(bytes, start, i));
                start = i + 1;
            }
        }
        if (start < limit && lines.size() < maxLines && (takePartialLine || start == 0 && limit == bytes.capacity())) {
            lines.add(decode(bytes, start, limit));
            start = limit;
        }
        return new LogChunk(start, lines);
    }

    private static String decode(ByteBuffer bytes, int from, int to) {
        int end = to > from && bytes.get(to - 1) == '\r' ? to - 1 : to;
        ByteBuffer slice = bytes.duplicate().position(from).limit(end);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(slice).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not fail", e);
        }
    }
}
