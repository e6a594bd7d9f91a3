package orrery.staging.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the staging service can be told ({@code orrery.staging.*}); see the module README. */
@ConfigMapping(prefix = "orrery.staging")
public interface StagingConfig {

    /**
     * Where session folders live: {@code local} (a folder on disk, the embedded default), {@code vospace}, or
     * {@code simulated} (nothing fetched or written; transfers take size ÷ {@code simulated.rate} of the clock).
     */
    @WithDefault("local")
    Backend backend();

    /** The stores of session folders there are. */
    enum Backend {
        /** Folders under {@code orrery.storage.root}. */
        LOCAL,
        /** ContainerNodes in the VOSpace service {@code vospace.base-url}. */
        VOSPACE,
        /** Records in memory; transfers are modelled on the TimeSource (README, "Simulated backend"). */
        SIMULATED
    }

    /** How many transfers run at once; more wait their turn. */
    @WithDefault("4")
    int maxConcurrentTransfers();

    /** How often a running transfer reports progress, at most. */
    @WithDefault("PT0.5S")
    Duration progressInterval();

    /**
     * A source that sends nothing for this long is dropped and retried (for http(s) sources this
     * is the socket read timeout, which also bounds how long a cancel of a stalled source takes).
     */
    @WithDefault("PT60S")
    Duration stallTimeout();

    /** How long a running task stays claimed by this instance without renewal; after that another instance resumes it. */
    @WithDefault("PT30S")
    Duration lease();

    Sources sources();

    Retry retry();

    Quote quote();

    Vospace vospace();

    Simulated simulated();

    /** The model the simulated backend follows ({@code backend=simulated}). */
    interface Simulated {
        /** Bytes per second every transfer moves at (50 MB/s). */
        @WithDefault("50000000")
        long rate();

        /** The size of an item whose checks give none (100 MB). */
        @WithDefault("100000000")
        long defaultSize();
    }

    /** VOSpace, as the store ({@code backend=vospace}) and as a source ({@code vos://} URIs). */
    interface Vospace {
        /** The VOSpace service session folders go to, e.g. CANFAR's arc. */
        @WithDefault("https://ws-uv.canfar.net/arc")
        String baseUrl();

        /** Its {@code vos://} authority. */
        @WithDefault("cadc.nrc.ca~arc")
        String authority();

        /** A bearer token (set ORRERY_STAGING_VOSPACE_TOKEN; never commit one). */
        Optional<String> token();

        @WithDefault("PT60S")
        Duration timeout();

        /** Base URL per {@code vos://} authority that sources may name. */
        Map<String, String> services();
    }

    /** Where sources may be fetched from. */
    interface Sources {
        Http http();

        File file();

        /** {@code http(s)} sources. */
        interface Http {
            /** Host names, {@code .domain} suffixes, or {@code *}. */
            @WithDefault(".canfar.net,.cadc-ccda.hia-iha.nrc-cnrc.gc.ca,raw.githubusercontent.com,zenodo.org")
            List<String> allowedHosts();

            /** Allow 127.0.0.0/8 and ::1 (the local profile does: its demo serves from 127.0.0.1). */
            @WithDefault("false")
            boolean allowLoopback();

            /** Allow private ranges: 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fc00::/7. */
            @WithDefault("false")
            boolean allowPrivateAddresses();

            /** Allow link-local 169.254/16 and fe80::/10; cloud metadata endpoints stay refused regardless. */
            @WithDefault("false")
            boolean allowLinkLocal();

            @WithDefault("PT10S")
            Duration connectTimeout();

        }

        /** {@code file:} sources. */
        interface File {
            /** Folders whose files may be staged; none by default. */
            Optional<List<Path>> roots();
        }
    }

    /** Retries of transient failures. */
    interface Retry {
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("PT1S")
        Duration initialBackoff();

        @WithDefault("PT1M")
        Duration maxBackoff();
    }

    /** How quotes are estimated. */
    interface Quote {
        @WithDefault("PT1M")
        Duration presentCost();

        @WithDefault("PT1H")
        Duration unknownSizeCost();

        /** Assumed rate for hosts never measured, bytes per second. */
        @WithDefault("20000000")
        double defaultBytesPerSecond();

        @WithDefault("PT5S")
        Duration overhead();
    }
}
