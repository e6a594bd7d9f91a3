package orrery.broker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import orrery.broker.domain.LatePolicy;

/** Everything the broker can be told ({@code orrery.broker.*}); see the module README. */
@ConfigMapping(prefix = "orrery.broker")
public interface BrokerConfig {

    /** Pools created at start-up when absent: name → {@code {start,end,capacity} ...}. */
    Map<String, String> pools();

    Offers offers();

    Ivoa ivoa();

    Execution execution();

    Quota quota();

    /**
     * What a core-hour costs, per pool (the pool's name, or {@code default} for pools without an
     * entry of their own): {@code orrery.broker.prices.<pool>.core-hour}, {@code .currency},
     * {@code .grams-co2-per-core-hour}. Offers carry their core-hours always, and a price and carbon
     * where these are set.
     */
    Map<String, Price> prices();

    /** One pool's price table. */
    interface Price {
        java.util.Optional<Double> coreHour();

        @WithDefault("EUR")
        String currency();

        java.util.Optional<Double> gramsCo2PerCoreHour();
    }

    /** What one user may hold on the calendars (see {@code domain.UserQuota}). */
    interface Quota {
        /** Most cores one user holds at once, summed over every pool. */
        @WithDefault("32")
        int maxCores();

        /** How far ahead a user's booking may end. */
        @WithDefault("P365D")
        Duration horizon();

        /** The most space (GiB) one session may have in its folder: its storage ask and its data must fit. */
        @WithDefault("100")
        int sessionStorageGib();
    }

    /** Driving accepted executions. */
    interface Execution {
        /**
         * What happens when preparation is not finished at the booked start: {@code START_LATE}
         * (run as soon as it is, until the booking ends) or {@code FAIL}.
         */
        @WithDefault("START_LATE")
        LatePolicy latePolicy();

        /** How often due transitions are looked for besides the exact timer (several replicas, restarts). */
        @WithDefault("PT1S")
        Duration poll();
    }

    /** The IVOA ExecutionBroker API under /ivoa. */
    interface Ivoa {
        /** Who callers without a token act as; unset, /ivoa needs a token like the rest. */
        java.util.Optional<String> anonymousUser();
    }

    /** How offers are made. */
    interface Offers {
        /** At most this many offers per offer set. */
        @WithDefault("4")
        int maxOffers();

        /** How long an offer (and its provisional reservation) is held. */
        @WithDefault("PT10M")
        Duration expiry();

        /** With no requested start, look this far ahead for a start. */
        @WithDefault("P7D")
        Duration horizon();

        /** Offered starts are rounded up to a multiple of this. */
        @WithDefault("PT1M")
        Duration granularity();

        /** How long to wait for quote.staging and quote.canfar before using the fallbacks. */
        @WithDefault("PT2S")
        Duration quoteTimeout();

        /**
         * How long an answer from quote.staging or quote.canfar is reused for an identical question
         * (the same user's same items; the same image, kind, size and mounts). PT0S asks every time.
         */
        @WithDefault("PT10S")
        Duration quoteReuse();

        /** Fallback cost of staging an item when the staging service does not answer. */
        @WithDefault("PT1H")
        Duration stagingFallback();

        /** Fallback start-up cost of a session when the canfar adapter does not answer. */
        @WithDefault("PT5M")
        Duration startupFallback();

        /** Cost of creating the session folder. */
        @WithDefault("PT5S")
        Duration folderCost();

        /** The session image when the request names none. */
        @WithDefault("images.canfar.net/skaha/astroml:latest")
        String defaultImage();

        /** How often expired offers are swept. */
        @WithDefault("PT15S")
        Duration sweepEvery();

        /** The most offers one statement of a sweep expires; a sweep runs statements until one expires fewer. */
        @WithDefault("500")
        int sweepBatch();

        /** The pool when the request names none. */
        @WithDefault("default")
        String defaultPool();

        /** Memory per core in GB when the request gives no memory range. */
        @WithDefault("2")
        int memoryPerCore();
    }
}
