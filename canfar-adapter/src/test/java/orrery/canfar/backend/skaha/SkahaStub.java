package orrery.canfar.backend.skaha;

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
