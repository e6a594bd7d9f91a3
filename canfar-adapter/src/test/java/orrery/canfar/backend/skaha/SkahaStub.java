package orrery.canfar.backend.skaha;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * A WireMock server standing in for CANFAR's skaha (which cannot run here), and the adapter
 * pointed at it with the skaha backend. Tests stub it with responses shaped like skaha's.
 */
public class SkahaStub implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-token-not-a-secret";
    public static final String BASE = "/skaha/v0";

    /** Marks the {@link WireMockServer} field that receives the stub server. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectSkaha {
    }

    private WireMockServer server;

    /** What skaha offers: sizes (GET /context), images (GET /image), and no sessions yet (GET /session). */
    public static void offerings(WireMockServer skaha) {
        skaha.stubFor(get(urlEqualTo(BASE + "/context")).willReturn(okJson("""
                {"cores":{"default":2,"defaultRequest":1,"defaultLimit":16,"defaultHeadless":1,"options":[1,2,4,8,16]},
                 "memoryGB":{"default":8,"defaultRequest":4,"defaultLimit":64,"defaultHeadless":4,"options":[1,2,4,8,16,32,64]},
                 "gpus":{"options":[0,1,2,3,4]}}""")));
        skaha.stubFor(get(urlEqualTo(BASE + "/image")).willReturn(okJson("""
                [{"id":"images.canfar.net/skaha/terminal:1.1.2","types":["headless"],
                  "digest":"sha256:5b3f1a2c9d8e7f60a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f809"},
                 {"id":"images.canfar.net/skaha/base-notebook:latest","types":["notebook","headless"],
                  "digest":"sha256:0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b"},
                 {"id":"images.canfar.net/skaha/astroml:24.07","types":["notebook"],
                  "digest":"sha256:77aa0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091"}]""")));
        skaha.stubFor(get(urlEqualTo(BASE + "/session")).willReturn(okJson("[]")));
    }

    /** A session as skaha's GET /session/{id} returns it (fields as the server writes them). */
    public static String session(String id, String name, String image, String status, String startTime, String expiry) {
        return """
                {"id":"%s","userid":"orrery-bot","runAsUID":"120001","runAsGID":"120001","supplementalGroups":[120001],
                 "appid":"<none>","image":"%s","type":"headless","status":"%s","name":"%s","startTime":"%s",
                 "expiryTime":"%s","connectURL":"not-applicable","requestedRAM":"4G","requestedCPUCores":"1",
                 "requestedGPUCores":"<none>","ramInUse":"<none>","gpuRAMInUse":"<none>","cpuCoresInUse":"<none>",
                 "gpuUtilization":"<none>","isFixedResources":true}"""
                .formatted(id, image, status, name, startTime == null ? "" : startTime, expiry == null ? "" : expiry);
    }

    /** Launching a session named {@code name} answers {@code platformId}. */
    public static void launches(WireMockServer skaha, String name, String platformId) {
        skaha.stubFor(post(urlPathEqualTo(BASE + "/session")).withFormParam("name", equalTo(name))
                .willReturn(aResponse().withHeader("Content-Type", "text/plain").withBody(platformId + "\n")));
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String url = "http://127.0.0.1:" + server.port() + BASE;
        return Map.of(
                "orrery.canfar.backend", "skaha",
                "orrery.canfar.skaha.url", url,
                "quarkus.rest-client.skaha.url", url,
                "orrery.canfar.skaha.token", TOKEN,
                "orrery.canfar.skaha.poll-initial", "PT0.1S",
                "orrery.canfar.skaha.poll-max", "PT0.3S",
                "orrery.canfar.skaha.renew-margin", "PT1H");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectSkaha.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
