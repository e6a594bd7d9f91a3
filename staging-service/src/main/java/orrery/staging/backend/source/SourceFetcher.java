package orrery.staging.backend.source;

import java.io.IOException;
import orrery.staging.domain.SourcePolicy;

/** Opens one kind of source for reading, from an offset when the source can resume. */
public interface SourceFetcher {

    /**
     * @throws PermanentSourceException when retrying cannot help (404, refused redirect, ...)
     * @throws IOException on transient trouble (connection lost, 5xx, rate limited), worth a retry
     */
    SourceStream open(SourcePolicy.Source source, long offset) throws IOException;
}
