package orrery.staging.backend.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;
import orrery.model.problem.ProblemException;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.SourcePolicy;

/**
 * Fetches {@code http(s)} sources with Apache HttpClient 5 (classic, blocking), set up so that the
 * connection goes to the address that was checked: the client's only name look-up is
 * {@link CheckedDnsResolver}, which resolves each hop's host once through the {@link HostResolver},
 * {@link SourcePolicy#resolve checks every address}, and hands the client exactly those addresses.
 * Nothing looks the name up a second time, so a DNS answer that changes between the check and the
 * connection (DNS rebinding) cannot move the fetch into our own network. TLS runs over that
 * connection with the URL's host name for SNI and certificate checks; the {@code Host} header is
 * the URL's authority.
 *
 * <p>The client follows no redirects, retries nothing, reuses no connection and uses no proxy:
 * redirects are followed here (at most {@value #MAX_REDIRECTS}) and every hop is checked again,
 * allow-list and addresses, with a look-up of its own; retries are the transfer engine's. A
 * resumed transfer asks for the rest with a {@code Range} header. Closing the body drops the
 * connection at once (a cancel, the stall watchdog, the end of the transfer), never draining it.
 */
public final class HttpSourceFetcher implements SourceFetcher {

    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final int BUFFER = 64 * 1024;

    private final SourcePolicy policy;
    private final CloseableHttpClient client;

    /** @param stallTimeout a source that sends nothing for this long is dropped (and retried by the caller) */
    public HttpSourceFetcher(SourcePolicy policy, HostResolver resolver, Duration connectTimeout, Duration stallTimeout) {
        this(policy, resolver, SSLContexts.createSystemDefault(), connectTimeout, stallTimeout);
    }

    /** @param tls the TLS context to trust servers with */
    public HttpSourceFetcher(SourcePolicy policy, HostResolver resolver, SSLContext tls, Duration connectTimeout,
                             Duration stallTimeout) {
        this.policy = policy;
        this.client = HttpClients.custom()
                .setConnectionManager(connections(new CheckedDnsResolver(policy, resolver), tls,
                        timeout(connectTimeout), timeout(stallTimeout)))
                .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE)) // no HTTP proxy
                .setConnectionReuseStrategy((request, response, context) -> false) // one request per connection
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout(connectTimeout))
                        .setResponseTimeout(timeout(stallTimeout))
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("orrery-staging")
                .build();
    }

    private static HttpClientConnectionManager connections(CheckedDnsResolver dns, SSLContext tls, Timeout connect,
                                                           Timeout stall) {
        return new DirectConnections()
                .setDnsResolver(dns)
                .setTlsSocketStrategy(ClientTlsStrategyBuilder.create()
                        .setSslContext(tls)
                        .setHostVerificationPolicy(HostnameVerificationPolicy.BUILTIN) // the JDK checks the URL's name
                        .buildClassic())
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom()
                                .setBufferSize(BUFFER)
                                .setMaxLineLength(MAX_LINE)
                                .setMaxHeaderCount(MAX_HEADERS)
                                .build())
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(stall)
                        .build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(stall).setTcpNoDelay(true).build())
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(16)
                .build();
    }

    /**
     * Connections on plain sockets made with {@link Proxy#NO_PROXY}: a {@code new Socket()} would ask
     * the JVM's {@code ProxySelector} for a SOCKS proxy ({@code socksProxyHost}) on every connect.
     */
    private static final class DirectConnections extends PoolingHttpClientConnectionManagerBuilder {
        @Override
        protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                                                                        TlsSocketStrategy tls) {
            return new DefaultHttpClientConnectionOperator(socksProxy -> new Socket(Proxy.NO_PROXY), ports, dns,
                    scheme -> "https".equalsIgnoreCase(scheme) ? tls : null);
        }
    }

    private static Timeout timeout(Duration duration) {
        return Timeout.ofMilliseconds(Math.max(1, duration.toMillis()));
    }

    @Override
    public SourceStream open(SourcePolicy.Source source, long offset) throws IOException {
        URI uri = source.uri();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Exchange exchange = send(uri, offset);
            int status = exchange.status();
            if (isRedirect(status)) {
                uri = follow(uri, status, exchange.redirectTarget());
                continue;
            }
            if (status == 200) {
                return exchange.stream(0);
            }
            if (status == 206) {
                return exchange.rangeStart() == offset ? exchange.stream(offset) : restart(exchange, source);
            }
            exchange.close();
            if (status == 416 && offset > 0) {
                return open(source, 0);
            }
            throw refusal(uri, status);
        }
        throw new PermanentSourceException(source.uri() + " redirected more than " + MAX_REDIRECTS + " times");
    }

    private static boolean isRedirect(int status) {
        return status >= 300 && status < 400 && status != 304;
    }

    /** The source sent another part than asked for: start again from the beginning. */
    private SourceStream restart(Exchange exchange, SourcePolicy.Source source) throws IOException {
        exchange.close();
        return open(source, 0);
    }

    private static IOException refusal(URI uri, int status) {
        if (status == 429 || status >= 500) {
            return new IOException(uri + " answered " + status + "; will retry");
        }
        return new PermanentSourceException(uri + " answered " + status + describe(status));
    }

    /** One GET, up to the end of the response headers, with the failures sorted into retry or not. */
    private Exchange send(URI uri, long offset) throws IOException {
        HttpGet request = new HttpGet(uri);
        request.setHeader("Accept", "*/*");
        request.setHeader("Accept-Encoding", "identity");
        if (offset > 0) {
            request.setHeader("Range", "bytes=" + offset + "-");
        }
        try {
            return new Exchange(uri, request, client.executeOpen(null, request, HttpClientContext.create()));
        } catch (CheckedDnsResolver.Refused refused) {
            throw new PermanentSourceException(refused.getMessage());
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve host " + uri.getHost() + "; will retry", e);
        } catch (SSLPeerUnverifiedException | SSLHandshakeException e) {
            throw untrusted(uri, e);
        } catch (ClientProtocolException | MessageConstraintException e) {
            throw new PermanentSourceException(uri + " did not answer in HTTP/1.1 that staging reads: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new PermanentSourceException("'" + uri + "' is not a valid URL: " + e.getMessage());
        }
    }

    private static IOException untrusted(URI uri, IOException failure) {
        if (failure instanceof SSLPeerUnverifiedException || hasCause(failure, CertificateException.class)) {
            return new PermanentSourceException("the TLS certificate of " + uri.getHost()
                    + " is not trusted for that name: " + failure.getMessage());
        }
        return failure;
    }

    private URI follow(URI from, int status, String location) throws PermanentSourceException {
        if (location == null) {
            throw new PermanentSourceException(from + " answered " + status + " without a Location to follow");
        }
        URI next;
        try {
            next = from.resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new PermanentSourceException(from + " redirected to '" + location + "', which is not a valid URL");
        }
        try {
            SourcePolicy.Source checked = policy.check(next.toString());
            if (checked.scheme() != SourcePolicy.Scheme.HTTP) {
                throw new PermanentSourceException("a redirect to " + next + " leaves http(s); it is not followed");
            }
        } catch (ProblemException refused) {
            throw new PermanentSourceException("a redirect was refused: " + refused.getMessage());
        }
        return next;
    }

    /** A response whose body has not been read yet. */
    private record Exchange(URI uri, HttpGet request, ClassicHttpResponse response) implements AutoCloseable {

        int status() {
            return response.getCode();
        }

        String header(String name) {
            Header header = response.getFirstHeader(name);
            return header == null ? null : header.getValue();
        }

        /** The Location to follow; the response itself is closed. */
        String redirectTarget() {
            String location = header("Location");
            close();
            return location;
        }

        /** Where a 206 answer starts ({@code Content-Range: bytes 100-199/200}), or -1. */
        long rangeStart() {
            String range = header("Content-Range");
            if (range == null) {
                return -1;
            }
            String value = range.replaceFirst("^bytes\\s+", "");
            int dash = value.indexOf('-');
            String start = dash < 0 ? "" : value.substring(0, dash);
            return start.matches("\\d+") ? Long.parseLong(start) : -1;
        }

        SourceStream stream(long offset) throws IOException {
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                close();
                throw new IOException(uri + " answered " + status() + " without a body; will retry");
            }
            long length = entity.getContentLength();
            return new SourceStream(new Body(entity.getContent(), this), offset, length < 0 ? null : length);
        }

        /** Drops the connection at once: nothing is drained, a read blocked in another thread fails. */
        @Override
        public void close() {
            request.cancel();
            try {
                response.close();
            } catch (IOException ignored) {
                // the connection is already gone
            }
        }
    }

    /** The response body; closing it closes the exchange (see {@link Exchange#close}). */
    private static final class Body extends FilterInputStream {
        private final Exchange exchange;

        Body(InputStream in, Exchange exchange) {
            super(in);
            this.exchange = exchange;
        }

        @Override
        public void close() {
            exchange.close();
        }
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(int status) {
        return switch (status) {
            case 401, 403 -> ": the source needs credentials staging does not have";
            case 404, 410 -> ": nothing there; check the URL";
            default -> "";
        };
    }
}
