package orrery.broker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The web dashboard the broker serves at {@code /ui/} (README, "The dashboard"): where the browser finds
 * the other services' APIs, and the local-only development login.
 */
@ConfigMapping(prefix = "orrery.dashboard")
public interface DashboardConfig {

    /** The other services' base URLs as the browser reaches them (each allows the broker's origin by CORS). */
    Services services();

    DevLogin devLogin();

    interface Services {
        Optional<String> staging();

        Optional<String> canfar();

        Optional<String> fsWatcher();

        Optional<String> dependencyManager();
    }

    /**
     * A login that signs a token for any user name, for a laptop only: on when {@code key} names the
     * PEM private key of {@code deploy/local/token.sh} (up.sh sets it), and only for requests from
     * this machine (loopback).
     */
    interface DevLogin {
        Optional<Path> key();

        /** How long its tokens are valid (real time: the token check reads the system clock). */
        @WithDefault("PT12H")
        Duration lifetime();
    }
}
