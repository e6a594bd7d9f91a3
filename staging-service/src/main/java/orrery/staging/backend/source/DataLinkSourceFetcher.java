package orrery.staging.backend.source;

import java.io.IOException;
import java.io.InputStream;
import orrery.model.problem.ProblemException;
import orrery.staging.domain.DataLinks;
import orrery.staging.domain.SourcePolicy;

/**
 * A file described by an IVOA DataLink document: the document is fetched over HTTP(S) as any
 * source is (allow-list, checked addresses), its {@code #this} access_url is checked against the
 * same policy, and the file is fetched from there. Resolved again on every attempt, so a retried or
 * resumed transfer follows the service if it moves the file.
 */
public final class DataLinkSourceFetcher implements SourceFetcher {

    /** More than any DataLink response for one file; a larger one is not what we asked for. */
    static final int MAX_DOCUMENT = 4 * 1024 * 1024;

    private final SourceFetcher http;
    private final SourcePolicy policy;

    public DataLinkSourceFetcher(SourceFetcher http, SourcePolicy policy) {
        this.http = http;
        this.policy = policy;
    }

    @Override
    public SourceStream open(SourcePolicy.Source source, long offset) throws IOException {
        String accessUrl;
        try (SourceStream document = http.open(new SourcePolicy.Source(SourcePolicy.Scheme.HTTP, source.uri(), source.host(),
                null), 0)) {
            accessUrl = accessUrl(document.body(), source);
        }
        SourcePolicy.Source file;
        try {
            file = policy.check(accessUrl);
        } catch (ProblemException refused) {
            throw new PermanentSourceException("the DataLink document at " + source.uri() + " points at " + accessUrl
                    + ", which is refused: " + refused.getMessage());
        }
        if (file.scheme() != SourcePolicy.Scheme.HTTP) {
            throw new PermanentSourceException("the DataLink document at " + source.uri() + " points at " + accessUrl
                    + ", which is not an http(s) address");
        }
        return http.open(file, offset);
    }

    private static String accessUrl(InputStream body, SourcePolicy.Source source) throws IOException {
        byte[] bytes = body.readNBytes(MAX_DOCUMENT + 1);
        if (bytes.length > MAX_DOCUMENT) {
            throw new PermanentSourceException("the DataLink document at " + source.uri() + " is larger than "
                    + MAX_DOCUMENT + " bytes");
        }
        try {
            return DataLinks.thisAccessUrl(bytes);
        } catch (IllegalArgumentException unreadable) {
            throw new PermanentSourceException(source.uri() + ": " + unreadable.getMessage());
        }
    }
}
