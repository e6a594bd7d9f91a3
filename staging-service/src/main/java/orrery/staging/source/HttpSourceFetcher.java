package orrery.staging.source;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import orrery.model.problem.ProblemException;
import orrery.staging.domain.AddressPolicy;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.SourcePolicy;

/**
 * Fetches {@code http(s)} sources with a small HTTP/1.1 client of its own, so that the connection
 * goes to the address that was checked: each hop resolves its host once through the
 * {@link HostResolver}, {@link SourcePolicy#resolve checks every address}, and opens a socket to
 * one of exactly those addresses. Nothing looks the name up a second time, so a DNS answer that
 * changes between the check and the connection (DNS rebinding) cannot move the fetch into our own
 * network. TLS runs over that socket with the URL's host name for SNI and certificate checks; the
 * {@code Host} header is the URL's authority.
 *
 * <p>Redirects are followed by hand (at most {@value #MAX_REDIRECTS}) and every hop is checked
 * again, allow-list and addresses; a resumed transfer asks for the rest with a {@code Range}
 * header. One request per connection ({@code Connection: close}); bodies are read by
 * {@code Content-Length}, chunked, or to the end of the connection. System proxy settings are not
 * used.
 */
public final class HttpSourceFetcher implements SourceFetcher {

    private static final int MAX_REDIRECTS = 5;

    /** Reads wait at most this long at a time, so a close from another thread (a cancel) is noticed soon. */
    private static final int POLL_MILLIS = 500;

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 200;

    private final SourcePolicy policy;
    private final HostResolver resolver;
    private final SSLSocketFactory tls;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    /** @param stallTimeout a source that sends nothing for this long is dropped (and retried by the caller) */
    public HttpSourceFetcher(SourcePolicy policy, HostResolver resolver, Duration connectTimeout, Duration stallTimeout) {
        this(policy, resolver, null, connectTimeout, stallTimeout);
    }

    /** @param tls the TLS sockets to use (null: the JVM's default trust) */
    public HttpSourceFetcher(SourcePolicy policy, HostResolver resolver, SSLSocketFactory tls, Duration connectTimeout,
                             Duration stallTimeout) {
        this.policy = policy;
        this.resolver = resolver;
        this.tls = tls;
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.readTimeoutMillis = (int) Math.max(1, stallTimeout.toMillis());
    }

    @Override
    public SourceStream open(SourcePolicy.Source source, long offset) throws IOException {
        URI uri = source.uri();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Exchange exchange = send(uri, offset);
            int status = exchange.status;
            if (status >= 300 && status < 400 && status != 304) {
                String location = exchange.header("location");
                exchange.close();
                if (location == null) {
                    throw new PermanentSourceException(uri + " answered " + status + " without a Location to follow");
                }
                uri = follow(uri, location);
                continue;
            }
            if (status == 200) {
                return new SourceStream(exchange.body(), 0, exchange.contentLength());
            }
            if (status == 206) {
                if (rangeStart(exchange.header("content-range")) != offset) {
                    exchange.close();
                    return open(source, 0);
                }
                return new SourceStream(exchange.body(), offset, exchange.contentLength());
            }
            exchange.close();
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

    /** One request on a connection of its own, to a checked address, up to the end of the response headers. */
    private Exchange send(URI target, long offset) throws IOException {
        URI uri;
        try {
            uri = new URI(target.toASCIIString());
        } catch (URISyntaxException e) {
            throw new PermanentSourceException("'" + target + "' is not a valid URL");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost() == null ? "" : uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        List<InetAddress> addresses;
        try {
            addresses = policy.resolve(host, resolver);
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve host " + host + "; will retry", e);
        } catch (ProblemException refused) {
            throw new PermanentSourceException(refused.getMessage());
        }
        Socket socket = connect(host, addresses, port);
        try {
            if (https) {
                socket = handshake(socket, host, port);
            }
            OutputStream out = socket.getOutputStream();
            out.write(request(uri, offset).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int poll = Math.min(POLL_MILLIS, readTimeoutMillis);
            socket.setSoTimeout(poll);
            Patient patient = new Patient(socket.getInputStream(), Math.max(1, (readTimeoutMillis + poll - 1) / poll),
                    readTimeoutMillis);
            InputStream in = new BufferedInputStream(patient, 64 * 1024);
            Exchange exchange = new Exchange(socket, patient, in);
            exchange.readHead(uri);
            return exchange;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private Socket connect(String host, List<InetAddress> addresses, int port) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                // An InetSocketAddress made from an InetAddress: no name look-up happens here.
                socket.connect(new InetSocketAddress(address, port), connectTimeoutMillis);
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
        }
        throw new IOException("cannot connect to " + host + " port " + port + " (" + addresses.stream()
                .map(InetAddress::getHostAddress).collect(Collectors.joining(", ")) + "): "
                + (last == null ? "no address" : last.getMessage()) + "; will retry", last);
    }

    private Socket handshake(Socket plain, String host, int port) throws IOException {
        SSLSocketFactory factory = tls != null ? tls : (SSLSocketFactory) SSLSocketFactory.getDefault();
        SSLSocket ssl = (SSLSocket) factory.createSocket(plain, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
        if (AddressPolicy.literal(host).isEmpty()) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException notAnSniName) {
                // left to the default (no SNI)
            }
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout(readTimeoutMillis);
        try {
            ssl.startHandshake();
        } catch (SSLHandshakeException e) {
            if (hasCause(e, CertificateException.class)) {
                throw new PermanentSourceException("the TLS certificate of " + host + " is not trusted for that name: "
                        + e.getMessage());
            }
            throw e;
        }
        return ssl;
    }

    private static String request(URI uri, long offset) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        StringBuilder request = new StringBuilder(256)
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getRawAuthority()).append("\r\n")
                .append("User-Agent: orrery-staging\r\n")
                .append("Accept: */*\r\n")
                .append("Accept-Encoding: identity\r\n")
                .append("Connection: close\r\n");
        if (offset > 0) {
            request.append("Range: bytes=").append(offset).append("-\r\n");
        }
        return request.append("\r\n").toString();
    }

    private URI follow(URI from, String location) throws PermanentSourceException {
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

    /** A response on its own connection: status, headers, and the body to come. */
    private static final class Exchange implements AutoCloseable {
        private final Socket socket;
        private final Patient patient;
        private final InputStream in;
        private final Map<String, String> headers = new HashMap<>();
        private int status;

        Exchange(Socket socket, Patient patient, InputStream in) {
            this.socket = socket;
            this.patient = patient;
            this.in = in;
        }

        void readHead(URI uri) throws IOException {
            int budget = MAX_HEADER_BYTES;
            while (true) {
                String statusLine = readLine(in, MAX_LINE);
                if (statusLine == null) {
                    throw new IOException(uri + " closed the connection without answering; will retry");
                }
                budget -= statusLine.length();
                if (!statusLine.matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) {
                    throw new PermanentSourceException(uri + " did not answer in HTTP/1.1 (it said '"
                            + printable(statusLine) + "')");
                }
                status = Integer.parseInt(statusLine.substring(9, 12));
                headers.clear();
                int count = 0;
                while (true) {
                    String line = readLine(in, MAX_LINE);
                    if (line == null) {
                        throw new IOException(uri + " closed the connection in the middle of its headers; will retry");
                    }
                    budget -= line.length() + 2;
                    if (budget < 0 || ++count > MAX_HEADERS) {
                        throw new PermanentSourceException(uri + " answered with more headers than staging reads");
                    }
                    if (line.isEmpty()) {
                        break;
                    }
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        continue; // not a header (or an obsolete folded line): ignored
                    }
                    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim();
                    String earlier = headers.get(name);
                    if ("content-length".equals(name) && earlier != null && !earlier.equals(value)) {
                        throw new PermanentSourceException(uri + " answered with two different Content-Length headers");
                    }
                    headers.put(name, earlier == null || "content-length".equals(name) ? value : earlier + ", " + value);
                }
                if (status >= 100 && status < 200) {
                    continue; // an interim answer (100 Continue, 103 Early Hints): the real one follows
                }
                return;
            }
        }

        String header(String name) {
            return headers.get(name);
        }

        private boolean chunked() {
            String coding = headers.get("transfer-encoding");
            return coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked");
        }

        /** The announced body length, or null when the source did not say (or sends chunks). */
        Long contentLength() throws PermanentSourceException {
            String value = headers.get("content-length");
            if (chunked() || value == null) {
                return null;
            }
            if (!value.matches("[0-9]{1,18}")) {
                throw new PermanentSourceException("the source answered Content-Length '" + printable(value) + "'");
            }
            return Long.parseLong(value);
        }

        InputStream body() throws IOException {
            InputStream body;
            if (chunked()) {
                body = new ChunkedBody(in);
            } else {
                Long length = contentLength();
                body = length == null ? in : new FixedBody(in, length);
            }
            return new Body(body, this);
        }

        @Override
        public void close() {
            patient.stop();
            closeQuietly(socket);
        }
    }

    /**
     * The response body. Closing it drops the connection (a cancel, the stall watchdog, or the end
     * of the transfer); a read blocked at that moment notices it within {@link #POLL_MILLIS}.
     */
    private static final class Body extends InputStream {
        private final InputStream in;
        private final Exchange exchange;

        Body(InputStream in, Exchange exchange) {
            this.in = in;
            this.exchange = exchange;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return in.read(buffer, offset, length);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() {
            exchange.close();
        }
    }

    /**
     * The socket's input, read in short waits: a blocked read cannot be interrupted, so each wait
     * ends after {@link #POLL_MILLIS}, a stop from another thread is noticed at the next one, and a
     * source silent for the whole stall timeout fails the read (the caller retries, resuming).
     */
    private static final class Patient extends InputStream {
        private final InputStream in;
        private final int patience;
        private final int stallMillis;
        private volatile boolean stopped;

        Patient(InputStream in, int patience, int stallMillis) {
            this.in = in;
            this.patience = patience;
            this.stallMillis = stallMillis;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int silent = 0;
            while (true) {
                if (stopped) {
                    throw new IOException("the transfer was stopped");
                }
                try {
                    return in.read(buffer, offset, length);
                } catch (SocketTimeoutException quiet) {
                    if (++silent >= patience) {
                        throw new SocketTimeoutException("the source sent nothing for " + stallMillis + " ms; will retry");
                    }
                } catch (IOException e) {
                    if (stopped) {
                        throw new IOException("the transfer was stopped");
                    }
                    throw e;
                }
            }
        }

        @Override
        public int available() throws IOException {
            return stopped ? 0 : in.available();
        }
    }

    /** A body of announced length: ending early is an error (the caller retries and resumes). */
    private static final class FixedBody extends InputStream {
        private final InputStream in;
        private final long length;
        private long remaining;

        FixedBody(InputStream in, long length) {
            this.in = in;
            this.length = length;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(count, remaining));
            if (n < 0) {
                throw new IOException("the source closed the connection after " + (length - remaining) + " of "
                        + length + " bytes; will retry");
            }
            remaining -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }
    }

    /** A body in {@code Transfer-Encoding: chunked}. */
    private static final class ChunkedBody extends InputStream {
        private final InputStream in;
        private long remaining;
        private boolean started;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            if (done) {
                return -1;
            }
            if (count == 0) {
                return 0;
            }
            if (remaining == 0) {
                if (started && !"".equals(readLine(in, MAX_LINE))) {
                    throw new IOException("the source sent a malformed chunk (no line end after its data); will retry");
                }
                started = true;
                remaining = chunkSize(readLine(in, MAX_LINE));
                if (remaining == 0) {
                    for (String trailer = readLine(in, MAX_LINE); trailer != null && !trailer.isEmpty();
                         trailer = readLine(in, MAX_LINE)) {
                        // trailers are not used
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(count, remaining));
            if (n < 0) {
                throw new IOException("the source closed the connection in the middle of a chunk; will retry");
            }
            remaining -= n;
            return n;
        }

        private static long chunkSize(String line) throws IOException {
            if (line == null) {
                throw new IOException("the source closed the connection before the next chunk; will retry");
            }
            int end = line.indexOf(';');
            String size = (end < 0 ? line : line.substring(0, end)).trim();
            if (!size.matches("[0-9A-Fa-f]{1,15}")) {
                throw new IOException("the source sent a malformed chunk size '" + printable(size) + "'; will retry");
            }
            return Long.parseLong(size, 16);
        }
    }

    /** A line without its CRLF (or LF), null at the end of the stream before any byte. */
    private static String readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= max) {
                throw new PermanentSourceException("the source sent a header line longer than " + max + " bytes");
            }
            line.write(c);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new IOException("the source closed the connection in the middle of a line; will retry");
    }

    private static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static long rangeStart(String contentRange) {
        // Content-Range: bytes 100-199/200
        if (contentRange == null) {
            return -1;
        }
        String value = contentRange.replaceFirst("^bytes\\s+", "");
        int dash = value.indexOf('-');
        String start = dash < 0 ? "" : value.substring(0, dash);
        return start.matches("\\d+") ? Long.parseLong(start) : -1;
    }

    private static String describe(int status) {
        return switch (status) {
            case 401, 403 -> ": the source needs credentials staging does not have";
            case 404, 410 -> ": nothing there; check the URL";
            default -> "";
        };
    }
}
