package orrery.staging.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import orrery.model.problem.ProblemException;
import orrery.staging.domain.SourcePolicy;

/**
 * Fetches {@code http(s)} sources with the JDK client. Redirects are followed by hand so that
 * every hop is checked against the allow-list and the private-address rule again; a resumed
 * transfer asks for the rest with a {@code Range} header.
 */
public final class HttpSourceFetcher implements SourceFetcher {

    private static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final SourcePolicy policy;
    private final Duration responseTimeout;

    public HttpSourceFetcher(SourcePolicy policy, Duration connectTimeout, Duration responseTimeout) {
        this.policy = policy;
        this.responseTimeout = responseTimeout;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    @Override
    public SourceStream open(SourcePolicy.Source source, long offset) throws IOException {
        URI uri = source.uri();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkAddress(uri);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(responseTimeout)
                    .header("User-Agent", "orrery-staging");
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            HttpResponse<InputStream> response = send(request.build());
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                response.body().close();
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty()) {
                    throw new PermanentSourceException(uri + " answered " + status + " without a Location to follow");
                }
                uri = uri.resolve(location.get());
                recheck(uri);
                continue;
            }
            if (status == 200) {
                return new SourceStream(response.body(), 0, length(response));
            }
            if (status == 206) {
                long start = rangeStart(response);
                if (start != offset) {
                    response.body().close();
                    return open(source, 0);
                }
                return new SourceStream(response.body(), offset, length(response));
            }
            response.body().close();
            if (status == 416 && offset > 0) {
                return open(source, 0);
            }
            if (status == 429 || status >= 500) {
                throw new IOException(uri + " answered " + status + "; will retry");
            }
            throw new PermanentSourceException(uri + " answered " + status + describe(status));
        }
        throw new PermanentSourceException(source.uri() + " redirected more than " + MAX_REDIRECTS + " times");
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while connecting to " + request.uri());
        }
    }

    private void checkAddress(URI uri) throws IOException {
        try {
            policy.checkAddresses(uri.getHost(), InetAddress.getAllByName(uri.getHost()));
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve host " + uri.getHost(), e);
        } catch (ProblemException refused) {
            throw new PermanentSourceException(refused.getMessage());
        }
    }

    private void recheck(URI uri) throws PermanentSourceException {
        try {
            SourcePolicy.Source next = policy.check(uri.toString());
            if (next.scheme() != SourcePolicy.Scheme.HTTP) {
                throw new PermanentSourceException("a redirect to " + uri + " leaves http(s); it is not followed");
            }
        } catch (ProblemException refused) {
            throw new PermanentSourceException("a redirect was refused: " + refused.getMessage());
        }
    }

    private static Long length(HttpResponse<?> response) {
        return response.headers().firstValueAsLong("Content-Length").stream().boxed().findFirst().orElse(null);
    }

    private static long rangeStart(HttpResponse<?> response) {
        // Content-Range: bytes 100-199/200
        return response.headers().firstValue("Content-Range")
                .map(v -> v.replaceFirst("^bytes\\s+", ""))
                .map(v -> v.substring(0, Math.max(0, v.indexOf('-'))))
                .filter(v -> v.matches("\\d+"))
                .map(Long::parseLong).orElse(-1L);
    }

    private static String describe(int status) {
        return switch (status) {
            case 401, 403 -> ": the source needs credentials staging does not have";
            case 404, 410 -> ": nothing there; check the URL";
            default -> "";
        };
    }
}
