package orrery.staging.backend.vospace;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import orrery.staging.backend.source.PermanentSourceException;
import orrery.staging.backend.source.SourceFetcher;
import orrery.staging.backend.source.SourceStream;
import orrery.staging.domain.SourcePolicy;

/**
 * Reads {@code vos://} sources: negotiates a {@code pullFromVoSpace} transfer with the service of
 * the URI's authority and downloads from the first endpoint, from an offset when it can resume.
 */
public final class VospaceSourceFetcher implements SourceFetcher {

    private final Map<String, VospaceClient> services;

    /** @param services a client per {@code vos://} authority */
    public VospaceSourceFetcher(Map<String, VospaceClient> services) {
        this.services = Map.copyOf(services);
    }

    @Override
    public SourceStream open(SourcePolicy.Source source, long offset) throws IOException {
        VospaceClient client = services.get(source.host());
        if (client == null) {
            throw new PermanentSourceException("no VOSpace service is configured for " + source.host());
        }
        String path = source.uri().getPath().replaceFirst("^/", "");
        var endpoint = client.negotiateDownload(path).get(0);
        HttpResponse<InputStream> response = client.download(endpoint, offset);
        int status = response.statusCode();
        Long length = response.headers().firstValueAsLong("Content-Length").stream().boxed().findFirst().orElse(null);
        if (status == 206) {
            return new SourceStream(response.body(), offset, length);
        }
        if (status == 200) {
            return new SourceStream(response.body(), 0, length);
        }
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
        }
        if (status == 204) {
            throw new PermanentSourceException(source.uri() + " is an empty node in VOSpace");
        }
        if (status == 429 || status >= 500) {
            throw new IOException("VOSpace storage answered " + status + " for " + source.uri() + "; will retry");
        }
        throw new PermanentSourceException("VOSpace storage answered " + status + " for " + source.uri() + ": " + body.strip());
    }
}
