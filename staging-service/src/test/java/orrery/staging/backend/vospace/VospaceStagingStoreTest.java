package orrery.staging.backend.vospace;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import orrery.model.staging.Checks;
import orrery.model.time.SystemTimeSource;
import orrery.staging.backend.source.HttpSourceFetcher;
import orrery.staging.backend.storage.LocalStagingStore;
import orrery.staging.backend.storage.StagingStore;
import orrery.staging.backend.vospace.VospaceSourceFetcher;
import orrery.staging.domain.AddressPolicy;
import orrery.staging.domain.Backoff;
import orrery.staging.domain.HostResolver;
import orrery.staging.domain.SourcePolicy;
import orrery.staging.domain.StoredFile;
import orrery.staging.service.transfer.TransferEngine;
import orrery.staging.service.transfer.TransferOutcome;
import orrery.staging.service.transfer.TransferSpec;
import orrery.testsupport.FileServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VOSpace backend against WireMock stubs shaped like CADC's arc and vault (no VOSpace
 * service can run here): the request documents we send and the responses we must understand
 * come from the VOSpace 2.1 specification and opencadc/vos.
 */
class VospaceStagingStoreTest {

    private static final String NODE = "/arc/nodes/home/alice/broker/e1/data.bin?detail=properties";
    private static final String PREAUTH = "/arc/files/preauth:PREAUTH-TOKEN/home/alice/broker/e1/data.bin";

    @TempDir
    Path tmp;

    private WireMockServer vospace;
    private FileServer source;
    private SystemTimeSource time;
    private VospaceClient client;
    private byte[] data;
    private String md5;

    @BeforeEach
    void start() throws Exception {
        vospace = new WireMockServer(options().dynamicPort());
        vospace.start();
        Path served = Files.createDirectory(tmp.resolve("served"));
        data = new byte[700_000];
        new Random(3).nextBytes(data);
        Files.write(served.resolve("data.bin"), data);
        md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        source = FileServer.start(served);
        time = new SystemTimeSource();
        client = new VospaceClient(URI.create(vospace.baseUrl() + "/arc"), "cadc.nrc.ca~arc", "secret-token", Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        vospace.stop();
        source.close();
        time.close();
    }

    @Test
    void createsTheSessionFolderAsContainerNodes() throws IOException {
        vospace.stubFor(put(urlEqualTo("/arc/nodes/home/alice/broker")).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "text/plain").withBody("DuplicateNode: vos://cadc.nrc.ca~arc/home/alice/broker\n")));
        vospace.stubFor(put(urlEqualTo("/arc/nodes/home/alice/broker/e1")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "text/xml").withBody(resource("container-node-created.xml"))));

        new VospaceStagingStore(client).ensureFolder("home/alice/broker/e1");

        vospace.verify(putRequestedFor(urlEqualTo("/arc/nodes/home/alice/broker/e1"))
                .withHeader("Authorization", equalTo("Bearer secret-token"))
                .withHeader("Content-Type", containing("text/xml"))
                .withRequestBody(containing("xsi:type=\"vos:ContainerNode\""))
                .withRequestBody(containing("uri=\"vos://cadc.nrc.ca~arc/home/alice/broker/e1\"")));
    }

    @Test
    void aMissingHomeFolderIsAClearError() {
        vospace.stubFor(put(urlEqualTo("/arc/nodes/home/alice/broker")).willReturn(aResponse().withStatus(404)
                .withBody("ContainerNotFound: vos://cadc.nrc.ca~arc/home/alice/broker\n")));

        assertThatThrownBy(() -> new VospaceStagingStore(client).ensureFolder("home/alice/broker/e1"))
                .hasMessageContaining("home folder must exist").hasMessageContaining("ContainerNotFound");
    }

    @Test
    void aRefusedTokenSaysSo() {
        vospace.stubFor(put(urlEqualTo("/arc/nodes/home/alice/broker")).willReturn(aResponse().withStatus(403)
                .withBody("PermissionDenied: vos://cadc.nrc.ca~arc/home/alice/broker\n")));

        assertThatThrownBy(() -> new VospaceStagingStore(client).ensureFolder("home/alice/broker/e1"))
                .hasMessageContaining("403 PermissionDenied").hasMessageContaining("check the VOSpace token");
    }

    @Test
    void decidesPresenceFromServerComputedProperties() throws IOException {
        StagingStore store = new VospaceStagingStore(client);
        vospace.stubFor(get(urlEqualTo(NODE)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody(node(md5, data.length))));
        assertThat(store.stat("home/alice/broker/e1/data.bin")).contains(new StoredFile(data.length, md5, null));

        vospace.stubFor(get(urlEqualTo(NODE)).willReturn(aResponse().withStatus(200).withBody(resource("data-node-empty.xml"))));
        assertThat(store.stat("home/alice/broker/e1/data.bin")).as("an empty node left by negotiation").isEmpty();

        vospace.stubFor(get(urlEqualTo(NODE)).willReturn(aResponse().withStatus(404)
                .withBody("NodeNotFound: vos://cadc.nrc.ca~arc/home/alice/broker/e1/data.bin\n")));
        assertThat(store.stat("home/alice/broker/e1/data.bin")).isEmpty();
    }

    @Test
    void uploadsThroughTransferNegotiationWithTheExpectedDigest() throws Exception {
        stubNegotiation(resource("transfer-push-response.xml"));
        vospace.stubFor(get(urlEqualTo(NODE)).inScenario("upload").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(404).withBody("NodeNotFound")));
        vospace.stubFor(put(urlEqualTo(PREAUTH)).inScenario("upload").willSetStateTo("stored")
                .willReturn(aResponse().withStatus(201).withHeader("Digest", "md5=" + base64(md5))));
        vospace.stubFor(get(urlEqualTo(NODE)).inScenario("upload").whenScenarioStateIs("stored")
                .willReturn(aResponse().withStatus(200).withBody(node(md5, data.length))));

        TransferOutcome outcome = transferInto(new VospaceStagingStore(client));

        assertThat(outcome).isInstanceOf(TransferOutcome.Completed.class);
        vospace.verify(postRequestedFor(urlEqualTo("/arc/synctrans"))
                .withHeader("Authorization", equalTo("Bearer secret-token"))
                .withRequestBody(containing("<vos:direction>pushToVoSpace</vos:direction>"))
                .withRequestBody(containing("vos://cadc.nrc.ca~arc/home/alice/broker/e1/data.bin"))
                .withRequestBody(containing("ivo://ivoa.net/vospace/core#httpsput")));
        List<LoggedRequest> uploads = vospace.findAll(putRequestedFor(urlEqualTo(PREAUTH)));
        assertThat(uploads).hasSize(1);
        assertThat(uploads.get(0).getBody()).isEqualTo(data);
        assertThat(uploads.get(0).getHeader("Digest")).isEqualTo("md5=" + base64(md5));
        vospace.verify(putRequestedFor(urlEqualTo(PREAUTH)).withHeader("Authorization", absent()));
    }

    @Test
    void aChecksumTheStorageRefusesFailsTheTransferAndRemovesTheNode() throws Exception {
        stubNegotiation(resource("transfer-push-response.xml"));
        vospace.stubFor(get(urlEqualTo(NODE)).willReturn(aResponse().withStatus(404)));
        vospace.stubFor(put(urlEqualTo(PREAUTH)).willReturn(aResponse().withStatus(412)
                .withBody("md5:" + md5 + " != md5:d41d8cd98f00b204e9800998ecf8427e")));
        vospace.stubFor(delete(urlEqualTo("/arc/nodes/home/alice/broker/e1/data.bin")).willReturn(aResponse().withStatus(200)));

        TransferOutcome outcome = transferInto(new VospaceStagingStore(client));

        assertThat(((TransferOutcome.Failed) outcome).reason()).contains("412").contains("!= md5:");
        vospace.verify(deleteRequestedFor(urlEqualTo("/arc/nodes/home/alice/broker/e1/data.bin")));
    }

    @Test
    void aNegotiationWithoutEndpointsFailsClearly() throws Exception {
        stubNegotiation(resource("transfer-failed-no-protocols.xml"));
        vospace.stubFor(get(urlEqualTo(NODE)).willReturn(aResponse().withStatus(404)));

        TransferOutcome outcome = transferInto(new VospaceStagingStore(client));

        assertThat(((TransferOutcome.Failed) outcome).reason()).contains("offered no endpoint");
    }

    @Test
    void readsAVosSourceThroughPullNegotiation() throws Exception {
        VospaceClient vault = new VospaceClient(URI.create(vospace.baseUrl() + "/vault"), "cadc.nrc.ca~vault", "secret-token",
                Duration.ofSeconds(10));
        vospace.stubFor(post(urlEqualTo("/vault/synctrans")).willReturn(aResponse().withStatus(303)
                .withHeader("Location", vospace.baseUrl() + "/vault/xfer/JOB2")));
        vospace.stubFor(get(urlEqualTo("/vault/xfer/JOB2")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(resource("transfer-pull-response.xml"))));
        vospace.stubFor(get(urlEqualTo("/minoc/files/PREAUTH-TOKEN/cadc:vault/9d3c2a7e-5f0b-4c1e-8a61-2b7f4d0e9c11:fo/data.bin"))
                .willReturn(aResponse().withStatus(200).withBody(data)));
        SourcePolicy policy = new SourcePolicy(Set.of(), AddressPolicy.publicOnly(), List.of(), Set.of("cadc.nrc.ca~vault"));
        LocalStagingStore local = new LocalStagingStore(tmp.resolve("store"));
        try (TransferEngine engine = new TransferEngine(local, Map.of(SourcePolicy.Scheme.VOS,
                new VospaceSourceFetcher(Map.of("cadc.nrc.ca~vault", vault))), time,
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), 2), 1, Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            TransferOutcome outcome = engine.submit(new TransferSpec("t1", "home/alice/broker/e1/data.bin",
                    policy.check("vos://cadc.nrc.ca~vault/alice/input/data.bin"), new Checks((long) data.length, md5)),
                    (done, total) -> { }).get(30, TimeUnit.SECONDS);

            assertThat(outcome).isInstanceOf(TransferOutcome.Completed.class);
        }
        vospace.verify(postRequestedFor(urlEqualTo("/vault/synctrans"))
                .withRequestBody(containing("<vos:direction>pullFromVoSpace</vos:direction>"))
                .withRequestBody(containing("vos://cadc.nrc.ca~vault/alice/input/data.bin")));
        assertThat(Files.readAllBytes(local.root().resolve("home/alice/broker/e1/data.bin"))).isEqualTo(data);
    }

    private TransferOutcome transferInto(StagingStore store) throws Exception {
        SourcePolicy policy = new SourcePolicy(Set.of("127.0.0.1"), new AddressPolicy(true, false, false), List.of(), Set.of());
        try (TransferEngine engine = new TransferEngine(store, Map.of(SourcePolicy.Scheme.HTTP,
                new HttpSourceFetcher(policy, HostResolver.SYSTEM, Duration.ofSeconds(5), Duration.ofSeconds(10))), time,
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), 2), 1, Duration.ofSeconds(1), Duration.ofSeconds(30))) {
            return engine.submit(new TransferSpec("t1", "home/alice/broker/e1/data.bin",
                    policy.check(source.url("/files/data.bin")), new Checks((long) data.length, md5)), (done, total) -> { })
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private void stubNegotiation(String transferDocument) {
        vospace.stubFor(post(urlEqualTo("/arc/synctrans")).willReturn(aResponse().withStatus(303)
                .withHeader("Location", vospace.baseUrl() + "/arc/transfers/JOB1/results/transferDetails")));
        vospace.stubFor(get(urlEqualTo("/arc/transfers/JOB1/results/transferDetails")).willReturn(aResponse().withStatus(303)
                .withHeader("Location", vospace.baseUrl() + "/arc/xfer/JOB1")));
        vospace.stubFor(get(urlEqualTo("/arc/xfer/JOB1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody(transferDocument)));
    }

    private String node(String digest, long length) throws IOException {
        return resource("data-node-template.xml").replace("b4a11922757e107a2c10306867f52601", digest)
                .replace(">2880<", ">" + length + "<");
    }

    private String resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/vospace/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{{BASE}}", vospace.baseUrl());
        }
    }

    private static String base64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }
}
