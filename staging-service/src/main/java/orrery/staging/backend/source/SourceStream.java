package orrery.staging.backend.source;

import java.io.IOException;
import java.io.InputStream;

/**
 * An open source, positioned at {@code offset}.
 *
 * @param offset where the data starts: the offset asked for, or 0 when the source could not
 *               resume and sends everything again
 * @param remaining bytes still to come, or null when the source did not say
 */
public record SourceStream(InputStream body, long offset, Long remaining) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        body.close();
    }
}
