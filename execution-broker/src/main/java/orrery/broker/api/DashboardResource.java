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
import java.util.Map;
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
    private final boolean simulated;

    public DashboardResource(DashboardConfig config, DevTokens tokens, TimeSource time,
                             @ConfigProperty(name = "orrery.time.source", defaultValue = "system") String timeSource) {
        this.config = config;
        this.tokens = tokens;
        this.time = time;
        this.simulated = "simulated".equals(timeSource);
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
        if (!tokens.enabled()) {
            return tokens.issue(null, false); // the problem that says the login is off
        }
        if (!fromThisMachine(http)) {
            throw new ProblemException(Problem.of("dev-login-local-only", 403, "The development login is local only",
                    "development tokens are signed only for callers on the broker's own machine (loopback)"));
        }
        if (request == null) {
            throw new ProblemException(Problem.of("missing-body", 400, "No body", "send {\"user\": \"alice\", \"admin\": false}"));
        }
        return tokens.issue(request.user(), Boolean.TRUE.equals(request.admin()));
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
