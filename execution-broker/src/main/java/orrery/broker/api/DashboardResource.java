package orrery.broker.api;

import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import orrery.broker.config.DashboardConfig;
import orrery.broker.service.DevTokens;
import orrery.model.problem.Problem;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the web dashboard ({@code /ui/}) asks the broker besides the booking API. */
@Path("/api/v1/dashboard")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dashboard")
public class DashboardResource {

    private final DashboardConfig config;
    private final DevTokens tokens;
    private final TimeSource time;
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

    private final boolean simulated;
    private final List<String> origins;

    public DashboardResource(DashboardConfig config, DevTokens tokens, TimeSource time,
                             @ConfigProperty(name = "orrery.time.source", defaultValue = "system") String timeSource,
                             @ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> origins) {
        this.config = config;
        this.tokens = tokens;
        this.time = time;
        this.simulated = "simulated".equals(timeSource);
        this.origins = origins.orElse(List.of());
    }

    @GET
    @Path("/config")
    @PermitAll
    @Operation(summary = "Where the dashboard finds the other services, and whether the development login is on")
    public DashboardSettings settings() {
        DashboardConfig.Services services = config.services();
        Map<String, String> urls = new LinkedHashMap<>();
        services.staging().ifPresent(url -> urls.put("staging", url));
        services.canfar().ifPresent(url -> urls.put("canfar", url));
        services.fsWatcher().ifPresent(url -> urls.put("fsWatcher", url));
        services.dependencyManager().ifPresent(url -> urls.put("dependencyManager", url));
        return new DashboardSettings(urls, tokens.enabled(), simulated);
    }

    @GET
    @Path("/clock")
    @Authenticated
    @Operation(summary = "The suite's time (simulated time when the suite runs on it)")
    public Clock clock() {
        return new Clock(time.now(), simulated);
    }

    @POST
    @Path("/dev-login")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Local only: a development token for any user, as deploy/local/token.sh makes",
            description = "Answers only when orrery.dashboard.dev-login.key is set, and only to callers on this machine.")
    public DevTokens.Issued devLogin(DevLoginRequest request, @Context HttpServerRequest http) {
        tokens.requireEnabled();
        if (!fromThisMachine(http) || !loopbackHost(http) || !allowedOrigin(http)) {
            throw new ProblemException(Problem.of("dev-login-local-only", 403, "The development login is local only",
                    "development tokens are signed only for callers on the broker's own machine (loopback), addressing it "
                            + "as 127.0.0.1, localhost or [::1], from no page but the dashboard's own origins"));
        }
        if (request == null) {
            throw new ProblemException(Problem.of("missing-body", 400, "No body", "send {\"user\": \"alice\", \"admin\": false}"));
        }
        return tokens.issue(request.user(), Boolean.TRUE.equals(request.admin()));
    }

    /**
     * The Host the browser addressed is a loopback name: a page whose own name was rebound to
     * 127.0.0.1 (DNS rebinding) is same-origin to itself, not to us, and sends its own name.
     */
    private static boolean loopbackHost(HttpServerRequest http) {
        String host = http.getHeader("Host");
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        return LOOPBACK_NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    /** No Origin (curl, a script), or one of the dashboard's own origins: no other page may ask. */
    private boolean allowedOrigin(HttpServerRequest http) {
        String origin = http.getHeader("Origin");
        return origin == null || origins.contains(origin);
    }

    private static boolean fromThisMachine(HttpServerRequest http) {
        if (http == null || http.remoteAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(http.remoteAddress().hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The dashboard's settings: service URLs by name, development login, simulated time. */
    public record DashboardSettings(Map<String, String> services, boolean devLogin, boolean simulated) {
    }

    public record Clock(Instant now, boolean simulated) {
    }

    public record DevLoginRequest(String user, Boolean admin) {
    }
}
