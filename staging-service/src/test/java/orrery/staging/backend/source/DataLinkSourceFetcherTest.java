package orrery.staging.backend.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.staging.domain.AddressPolicy;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.SourcePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An IVOA DataLink source against a real server on loopback: the document is fetched, its #this
 * access_url checked against the same allow-list, and the file fetched from there, resumable.
 */
class DataLinkSourceFetcherTest {

    private HttpServer server;
    private int port;
    private final byte[] file = new byte[50_000];
    private final AtomicInteger documents = new AtomicInteger();
    private volatile String thisUrl;
    private final HostResolver resolver = host -> new InetAddress[] {InetAddress.getLoopbackAddress()};

    @BeforeEach
    void start() throws IOException {
        new Random(5).nextBytes(file);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/links", exchange -> {
            documents.incrementAndGet();
            byte[] body = orrery.staging.domain.DataLinksTestSupport.votable(thisUrl).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-votable+xml;content=datalink");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/files/42.fits", exchange -> {
            exchange.sendResponseHeaders(200, file.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(file);
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private DataLinkSourceFetcher fetcher(SourcePolicy policy) {
        return new DataLinkSourceFetcher(new HttpSourceFetcher(policy, resolver, Duration.ofSeconds(5), Duration.ofSeconds(5)),
                policy);
    }

    private static SourcePolicy policy(String... hosts) {
        return new SourcePolicy(Set.of(hosts), new AddressPolicy(true, false, false), List.of(), Set.of());
    }

    @Test
    void fetchesTheFileTheDocumentsThisRowPointsAt() throws Exception {
        thisUrl = "http://files.example.test:" + port + "/files/42.fits";
        SourcePolicy policy = policy(".example.test");
        SourcePolicy.Source source = policy.check("datalink+http://links.example.test:" + port + "/links?ID=ivo://x/obs?42");

        assertThat(source.scheme()).isEqualTo(SourcePolicy.Scheme.DATALINK);
        assertThat(source.host()).isEqualTo("links.example.test");
        try (SourceStream stream = fetcher(policy).open(source, 0)) {
            assertThat(stream.body().readAllBytes()).isEqualTo(file);
        }
        assertThat(documents).hasValue(1);
    }

    @Test
    void aFileOutsideTheAllowListIsRefusedThoughTheDocumentWasAllowed() {
        thisUrl = "http://elsewhere.invalid:" + port + "/files/42.fits";
        SourcePolicy policy = policy("links.example.test");

        assertThatThrownBy(() -> fetcher(policy).open(policy.check("datalink+http://links.example.test:" + port + "/links"), 0))
                .isInstanceOf(PermanentSourceException.class).hasMessageContaining("points at " + thisUrl)
                .hasMessageContaining("refused");
    }

    @Test
    void aDocumentThatIsNotADataLinkResponseFailsForGood() {
        thisUrl = "file:///etc/passwd";
        SourcePolicy policy = policy(".example.test");

        assertThatThrownBy(() -> fetcher(policy).open(policy.check("datalink+http://links.example.test:" + port + "/links"), 0))
                .isInstanceOf(PermanentSourceException.class);
    }
}
