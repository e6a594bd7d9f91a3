package orrery.staging.backend.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import orrery.staging.domain.AddressPolicy;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.SourcePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP client of the staging service against a real server on loopback, with host names that
 * only the test's resolver knows: it proves the fetch connects to the address that was checked,
 * looks each name up once, and reads what servers send.
 */
class HttpSourceFetcherTest {

    private HttpServer server;
    private int port;
    private final byte[] data = new byte[700_000];
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> lookUps = new ConcurrentHashMap<>();
    private final Map<String, List<String>> answers = new ConcurrentHashMap<>();

    /** Answers from {@link #answers}, a different one on each look-up (the last one repeated), counting them. */
    private final HostResolver resolver = host -> {
        int n = lookUps.computeIfAbsent(host, h -> new AtomicInteger()).getAndIncrement();
        List<String> list = answers.get(host);
        if (list == null) {
            throw new UnknownHostException(host);
        }
        String[] addresses = list.get(Math.min(n, list.size() - 1)).split(" ");
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            resolved[i] = InetAddress.getByName(addresses[i]);
        }
        return resolved;
    };

    @BeforeEach
    void start() throws IOException {
        new Random(3).nextBytes(data);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/fixed", exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(200, data.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(data);
            }
        });
        server.createContext("/chunked", exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(200, 0); // length 0: the JDK server sends chunks
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < data.length; at += 10_007) {
                    out.write(data, at, Math.min(10_007, data.length - at));
                    out.flush();
                }
            }
        });
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", exchange.getRequestURI().getQuery().substring("to=".length()));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpSourceFetcher fetcher(AddressPolicy addresses) {
        SourcePolicy policy = new SourcePolicy(Set.of(".example.test"), addresses, List.of(), Set.of());
        return new HttpSourceFetcher(policy, resolver, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private SourcePolicy.Source source(String url) {
        return new SourcePolicy(Set.of(".example.test"), new AddressPolicy(true, false, false), List.of(), Set.of()).check(url);
    }

    private static byte[] readAll(SourceStream stream) throws IOException {
        try (stream; InputStream in = stream.body()) {
            return in.readAllBytes();
        }
    }

    @Test
    void connectsToTheCheckedAddressAndNeverLooksTheNameUpAgain() throws Exception {
        // A rebinding name: loopback (allowed here) for the check, a private address on any later look-up.
        answers.put("files.example.test", List.of("127.0.0.1", "10.9.9.9"));
        HttpSourceFetcher fetcher = fetcher(new AddressPolicy(true, false, false));

        SourceStream stream = fetcher.open(source("http://files.example.test:" + port + "/fixed"), 0);

        assertThat(stream.remaining()).isEqualTo(data.length);
        assertThat(readAll(stream)).isEqualTo(data);
        assertThat(lookUps.get("files.example.test")).hasValue(1);
        assertThat(hostHeaders).containsExactly("files.example.test:" + port);
    }

    @Test
    void readsAChunkedBody() throws Exception {
        answers.put("files.example.test", List.of("127.0.0.1"));

        SourceStream stream = fetcher(new AddressPolicy(true, false, false))
                .open(source("http://files.example.test:" + port + "/chunked"), 0);

        assertThat(stream.remaining()).isNull();
        assertThat(readAll(stream)).isEqualTo(data);
    }

    @ParameterizedTest
    @CsvSource({
        "169.254.169.254, metadata",
        "10.0.0.1, private",
        "192.168.4.4, private",
        "100.64.1.1, private",
        "169.254.7.7, link-local",
        "fe80::1, link-local",
        "::127.0.0.1, IPv4-compatible",
        "64:ff9b::7f00:1, NAT64",
        "fd00::5, private",
        "0.0.0.0, unspecified",
        "224.0.0.1, multicast"})
    void refusesANameThatResolvesToARefusedAddressBeforeConnecting(String address, String why) {
        // The server is on 127.0.0.1, offered first: the refused second address keeps the fetch off it too.
        answers.put("files.example.test", List.of("127.0.0.1 " + address));

        assertThatThrownBy(() -> fetcher(new AddressPolicy(true, false, false))
                .open(source("http://files.example.test:" + port + "/fixed"), 0))
                .isInstanceOf(PermanentSourceException.class)
                .hasMessageContaining(why);
        assertThat(hostHeaders).isEmpty();
    }

    @Test
    void loopbackIsRefusedUnlessAllowed() {
        answers.put("files.example.test", List.of("127.0.0.1"));

        assertThatThrownBy(() -> fetcher(AddressPolicy.publicOnly()).open(source("http://files.example.test:" + port + "/fixed"), 0))
                .isInstanceOf(PermanentSourceException.class)
                .hasMessageContaining("loopback").hasMessageContaining("allow-loopback");
        assertThat(hostHeaders).isEmpty();
    }

    @Test
    void eachRedirectHopIsResolvedAndCheckedAgain() throws Exception {
        answers.put("files.example.test", List.of("127.0.0.1"));
        answers.put("inside.example.test", List.of("10.1.1.1"));
        String to = "http://inside.example.test:" + port + "/fixed";

        assertThatThrownBy(() -> fetcher(new AddressPolicy(true, false, false))
                .open(source("http://files.example.test:" + port + "/redirect?to=" + to), 0))
                .isInstanceOf(PermanentSourceException.class)
                .hasMessageContaining("inside.example.test").hasMessageContaining("private");
        assertThat(lookUps.get("inside.example.test")).hasValue(1);
        assertThat(hostHeaders).isEmpty();
    }

    @Test
    void aRedirectToAnAllowedNameIsFollowedToItsOwnCheckedAddress() throws Exception {
        answers.put("files.example.test", List.of("127.0.0.1"));
        answers.put("mirror.example.test", List.of("127.0.0.1", "10.1.1.1"));
        String to = "http://mirror.example.test:" + port + "/fixed";

        SourceStream stream = fetcher(new AddressPolicy(true, false, false))
                .open(source("http://files.example.test:" + port + "/redirect?to=" + to), 0);

        assertThat(readAll(stream)).isEqualTo(data);
        assertThat(lookUps.get("mirror.example.test")).hasValue(1);
        assertThat(hostHeaders).containsExactly("mirror.example.test:" + port);
    }

    @Test
    void aNameThatDoesNotResolveIsWorthARetry() {
        assertThatThrownBy(() -> fetcher(new AddressPolicy(true, false, false))
                .open(source("http://nowhere.example.test:" + port + "/fixed"), 0))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(PermanentSourceException.class)
                .hasMessageContaining("cannot resolve host nowhere.example.test");
    }

    @Test
    void neverAsksTheJvmsProxySettings() throws Exception {
        answers.put("files.example.test", List.of("127.0.0.1"));
        List<URI> asked = new CopyOnWriteArrayList<>();
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.add(uri);
                return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException failure) {
            }
        });
        try {
            SourceStream stream = fetcher(new AddressPolicy(true, false, false))
                    .open(source("http://files.example.test:" + port + "/fixed"), 0);

            assertThat(readAll(stream)).isEqualTo(data);
            assertThat(asked).isEmpty();
        } finally {
            ProxySelector.setDefault(previous);
        }
    }

    @Test
    void aDroppedConnectionIsReportedOnceForTheEngineToRetry() throws Exception {
        // A server that reads the request and hangs up: the client itself must not try again.
        AtomicInteger requests = new AtomicInteger();
        try (ServerSocket dropper = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread accepting = new Thread(() -> {
                while (!dropper.isClosed()) {
                    try (Socket socket = dropper.accept()) {
                        requests.incrementAndGet();
                        socket.getInputStream().read(new byte[4096]);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            answers.put("files.example.test", List.of("127.0.0.1"));

            assertThatThrownBy(() -> fetcher(new AddressPolicy(true, false, false))
                    .open(source("http://files.example.test:" + dropper.getLocalPort() + "/fixed"), 0))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(PermanentSourceException.class);
            assertThat(requests).hasValue(1);
        }
    }

    @Test
    void tlsRunsOverTheCheckedConnectionAndVerifiesTheUrlsHostName(@TempDir Path tmp) throws Exception {
        // A certificate for files.example.test only, served on 127.0.0.1: the fetch connects to the checked
        // address and still asks for, and verifies, the name in the URL.
        Path keystore = tmp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=files.example.test", "-ext", "san=dns:files.example.test",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String keytoolSaid = new String(keytool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(keytoolSaid).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
        List<String> serverNames = new CopyOnWriteArrayList<>();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/fixed", exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            serverNames.add(String.valueOf(((javax.net.ssl.ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession())
                    .getRequestedServerNames()));
            exchange.sendResponseHeaders(200, data.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(data);
            }
        });
        https.start();
        try {
            int tlsPort = https.getAddress().getPort();
            answers.put("files.example.test", List.of("127.0.0.1", "10.9.9.9"));
            answers.put("other.example.test", List.of("127.0.0.1"));
            SourcePolicy policy = new SourcePolicy(Set.of(".example.test"), new AddressPolicy(true, false, false), List.of(), Set.of());
            HttpSourceFetcher fetcher = new HttpSourceFetcher(policy, resolver, clientTls,
                    Duration.ofSeconds(5), Duration.ofSeconds(5));

            SourceStream stream = fetcher.open(policy.check("https://files.example.test:" + tlsPort + "/fixed"), 0);

            assertThat(readAll(stream)).isEqualTo(data);
            assertThat(lookUps.get("files.example.test")).hasValue(1);
            assertThat(hostHeaders).containsExactly("files.example.test:" + tlsPort);
            assertThat(serverNames).singleElement().asString().contains("files.example.test");
            assertThatThrownBy(() -> fetcher.open(policy.check("https://other.example.test:" + tlsPort + "/fixed"), 0))
                    .isInstanceOf(PermanentSourceException.class)
                    .hasMessageContaining("not trusted for that name");
            assertThat(hostHeaders).hasSize(1);
        } finally {
            https.stop(0);
        }
    }
}
