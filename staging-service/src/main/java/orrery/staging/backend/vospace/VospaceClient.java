package orrery.staging.backend.vospace;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import orrery.staging.backend.source.PermanentSourceException;

/**
 * A small IVOA VOSpace 2.1 client shaped after CADC's services (vault, arc): node creation and
 * properties under {@code /nodes}, transfer negotiation under {@code /synctrans} (303 to the
 * transfer details), uploads with a {@code Digest: md5=} header and downloads from the negotiated
 * endpoints. The JDK HTTP client streams bodies, so nothing is held in memory.
 *
 * <p>Redirects are followed by hand and only within the service, so the bearer token never
 * leaves it; pre-authorised storage URLs are called without it.
 */
public final class VospaceClient {

    private static final int MAX_REDIRECTS = 5;

    private final URI base;
    private final String authority;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param base the service, e.g. {@code https://ws-uv.canfar.net/arc}
     * @param authority its {@code vos://} authority, e.g. {@code cadc.nrc.ca~arc}
     * @param token a bearer token, or null for anonymous access
     */
    public VospaceClient(URI base, String authority, String token, Duration timeout) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.authority = authority;
        this.token = token == null || token.isBlank() ? null : token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    public String vosUri(String path) {
        return "vos://" + authority + "/" + path;
    }

    /** Creates a ContainerNode; an existing one is fine. */
    public void createContainer(String path) throws IOException {
        HttpResponse<String> response = send(authorised(HttpRequest.newBuilder(nodes(path)))
                .header("Content-Type", "text/xml")
                .PUT(HttpRequest.BodyPublishers.ofString(VospaceDocuments.containerNode(vosUri(path)))).build());
        int status = response.statusCode();
        if (status == 200 || status == 201 || status == 409) {
            return;
        }
        if (status == 404) {
            throw new PermanentSourceException("VOSpace has no parent folder for " + vosUri(path)
                    + " (" + firstLine(response.body()) + "); the user's home folder must exist");
        }
        throw refused("create folder " + vosUri(path), response);
    }

    /** The node at {@code path}, or empty when there is none. */
    public Optional<VospaceDocuments.NodeInfo> node(String path) throws IOException {
        HttpResponse<byte[]> response = sendBytes(authorised(HttpRequest.newBuilder(
                URI.create(nodes(path) + "?detail=properties"))).GET().build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw refused("read " + vosUri(path), response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        return Optional.of(VospaceDocuments.node(response.body()));
    }

    public void delete(String path) throws IOException {
        HttpResponse<String> response = send(authorised(HttpRequest.newBuilder(nodes(path))).DELETE().build());
        if (response.statusCode() >= 300 && response.statusCode() != 404) {
            throw refused("delete " + vosUri(path), response);
        }
    }

    /** Negotiates an upload of {@code path}; returns the endpoints to try, in order. */
    public List<VospaceDocuments.Endpoint> negotiateUpload(String path) throws IOException {
        return negotiate(path, "pushToVoSpace", VospaceDocuments.HTTPS_PUT);
    }

    /** Negotiates a download of {@code path}; returns the endpoints to try, in order. */
    public List<VospaceDocuments.Endpoint> negotiateDownload(String path) throws IOException {
        return negotiate(path, "pullFromVoSpace", VospaceDocuments.HTTPS_GET);
    }

    /** Starts a streaming PUT of {@code body} to an endpoint; the future completes with the response. */
    public CompletableFuture<HttpResponse<String>> upload(VospaceDocuments.Endpoint endpoint, InputStream body,
                                                          Long length, String md5Hex) {
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> body);
        if (length != null) {
            publisher = HttpRequest.BodyPublishers.fromPublisher(publisher, length);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.url()))
                .header("Content-Type", "application/octet-stream").PUT(publisher);
        if (md5Hex != null) {
            request.header("Digest", "md5=" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5Hex)));
        }
        if (endpoint.needsToken() && token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a download endpoint from {@code offset}. */
    public HttpResponse<InputStream> download(VospaceDocuments.Endpoint endpoint, long offset) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.url())).GET();
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        if (endpoint.needsToken() && token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + endpoint.url());
        }
    }

    private List<VospaceDocuments.Endpoint> negotiate(String path, String direction, String protocol) throws IOException {
        URI uri = base.resolve("synctrans");
        HttpRequest.Builder request = authorised(HttpRequest.newBuilder(uri)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(VospaceDocuments.transfer(vosUri(path), direction, protocol)));
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<byte[]> response = sendBytes(request.build());
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                URI next = uri.resolve(response.headers().firstValue("Location")
                        .orElseThrow(() -> new IOException("VOSpace redirected without a Location")));
                if (!sameService(next)) {
                    throw new PermanentSourceException("VOSpace redirected the negotiation to " + next
                            + ", outside the service; not following it with our token");
                }
                uri = next;
                request = authorised(HttpRequest.newBuilder(uri)).GET();
                continue;
            }
            if (status != 200) {
                throw refused(direction + " " + vosUri(path), status, new String(response.body(), StandardCharsets.UTF_8));
            }
            List<VospaceDocuments.Endpoint> endpoints = VospaceDocuments.endpoints(response.body());
            if (endpoints.isEmpty()) {
                throw new PermanentSourceException("VOSpace offered no endpoint for " + direction + " of " + vosUri(path)
                        + " (permission, quota or a missing node; see the transfer job's error summary)");
            }
            return endpoints;
        }
        throw new IOException("VOSpace redirected the negotiation more than " + MAX_REDIRECTS + " times");
    }

    private boolean sameService(URI uri) {
        return base.getScheme().equals(uri.getScheme()) && base.getAuthority().equals(uri.getAuthority());
    }

    private URI nodes(String path) {
        return base.resolve("nodes/" + path);
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder request) {
        request.timeout(timeout);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted talking to VOSpace");
        }
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted talking to VOSpace");
        }
    }

    private static IOException refused(String what, HttpResponse<String> response) {
        return refused(what, response.statusCode(), response.body());
    }

    static IOException refused(String what, int status, String body) {
        String message = "VOSpace refused to " + what + ": " + status + " " + firstLine(body);
        if (status == 401 || status == 403) {
            return new PermanentSourceException(message + " (check the VOSpace token and the folder's permissions)");
        }
        if (status >= 500 || status == 429) {
            return new IOException(message);
        }
        return new PermanentSourceException(message);
    }

    private static String firstLine(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
