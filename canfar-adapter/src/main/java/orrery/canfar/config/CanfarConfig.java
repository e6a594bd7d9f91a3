package orrery.canfar.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The adapter's settings ({@code orrery.canfar.*}; README.md lists them with their environment variables).
 * The shared storage root is {@link StorageConfig}'s.
 */
@ConfigMapping(prefix = "orrery.canfar")
public interface CanfarConfig {

    /** Where sessions run. */
    enum Backend {
        local,
        skaha,
        /** Nothing runs: sessions follow a model on the TimeSource (README, "Simulated backend"). */
        simulated
    }

    /** Whose account local sessions run under. */
    enum Isolation {
        account,
        none
    }

    /** Whether local sessions run in a bubblewrap sandbox. */
    enum Sandbox {
        auto,
        bwrap,
        none
    }

    /** How a local session's exit status is recorded. */
    enum SupervisorMode {
        /** {@code java} where a JVM runs the adapter, else {@code direct}. */
        auto,
        /** A tiny supervisor JVM per session writes it, even while the adapter is down. */
        java,
        /** The adapter records it itself (lost if the adapter restarts meanwhile). */
        direct
    }

    /**
     * Which backend runs sessions: {@code local} processes (the embedded default), CANFAR {@code skaha}, or
     * {@code simulated} (no process; modelled start-up, runtime and exit status).
     */
    @WithDefault("local")
    Backend backend();

    Images images();

    Quote quote();

    Watch watch();

    Local local();

    Skaha skaha();

    Simulated simulated();

    interface Images {
        /** Registries or repository prefixes sessions may take images from. */
        @WithDefault("images.canfar.net/")
        List<String> allowed();
    }

    interface Quote {
        /** How many recent start-ups the moving average follows. */
        @WithDefault("10")
        int window();
    }

    interface Watch {
        /** How many due sessions one sweep handles before the next. */
        @WithDefault("50")
        int batch();

        /** The longest a sweep waits when nothing is due (a safety net; due times drive sweeps). */
        @WithDefault("PT30S")
        Duration idle();

        /** A launch still unconfirmed after this long is looked for on the platform, then failed. */
        @WithDefault("PT5M")
        Duration launchTimeout();
    }

    interface Local {
        /** Where session logs and process records live (not the session folders themselves). */
        Path runDir();

        /** Between SIGTERM and SIGKILL to the session's process group on delete. */
        @WithDefault("PT10S")
        Duration grace();

        @WithDefault("PT0.25S")
        Duration pollInitial();

        @WithDefault("PT5S")
        Duration pollMax();

        /** Expected start-up before any was observed. */
        @WithDefault("PT1S")
        Duration defaultStartup();

        /** The Jupyter command notebook sessions run ({@code <jupyter> nbconvert --execute ...}). */
        @WithDefault("jupyter")
        String jupyter();

        /**
         * The PATH sessions get (and their commands are looked up on). Sessions get nothing of the
         * adapter's own environment: PATH, LANG, HOME (the session folder), the launch's variables and
         * Orrery's own.
         */
        @WithDefault("/usr/local/bin:/usr/bin:/bin")
        String path();

        /** The LANG sessions get. */
        @WithDefault("C.UTF-8")
        String lang();

        /**
         * Whose account sessions run under: {@code account} (the {@link #sessionUser()} account, never the
         * adapter's: a root adapter drops to it, an adapter running as that account runs sessions as it is, any
         * other adapter refuses local launches) or {@code none} (the adapter's own account; a single-user
         * laptop only).
         */
        @WithDefault("account")
        Isolation isolation();

        /** The unprivileged account local sessions run under (not the suite's). */
        @WithDefault("orrery-session")
        String sessionUser();

        /** The group sessions run with; the session account's primary group when unset. */
        Optional<String> sessionGroup();

        /**
         * The bubblewrap sandbox around each session: {@code auto} (where {@code bwrap} is installed and
         * works), {@code bwrap} (required: launches are refused without it), {@code none}.
         */
        @WithDefault("auto")
        Sandbox sandbox();

        /**
         * Folders (or files) the sandbox hides, besides the ones it always hides: the storage root, the run
         * folder, the adapter's working directory and the checkout holding it, its home, /tmp, /var/tmp and
         * mounted secrets. Folders that do not exist are skipped.
         */
        Optional<List<Path>> hide();

        /**
         * How a session's exit status is recorded: {@code java} runs a tiny supervisor JVM per session that
         * writes it even when the adapter is down; {@code direct} records it from the adapter (lost if the
         * adapter restarts meanwhile); {@code auto} takes java when a JVM runs the adapter.
         */
        @WithDefault("auto")
        SupervisorMode supervisor();

        /** Apply cores (CPU affinity) and memory (RLIMIT_DATA) limits with taskset and prlimit when installed. */
        @WithDefault("true")
        boolean limits();

        /** Container sessions (kind {@code container}) on this machine. */
        Containers containers();
    }

    /**
     * Container sessions on the local backend: podman runs the image (already on this machine; the
     * backend never pulls) with the session folder at {@code /session}, the session account's uid, no
     * capabilities and the cores and memory booked.
     */
    interface Containers {
        /** The podman command, found on the adapter's PATH; {@code none} turns container sessions off. */
        @WithDefault("podman")
        String podman();

        /**
         * A containers.conf podman reads (CONTAINERS_CONF), for machines that need one: where the kernel
         * forbids raising limits, {@code default_ulimits = []}; where crun cannot run, {@code runtime = "runc"}.
         */
        Optional<Path> conf();

        /** The network a container session gets: {@code none} (default: nothing to reach, the suite included) or a podman network. */
        @WithDefault("none")
        String network();
    }

    interface Skaha {
        /** skaha's base URL, up to and including the API version. */
        @WithDefault("https://ws-uv.canfar.net/skaha/v0")
        String url();

        /** Bearer token of the account sessions are launched under; set it from the environment, never in the repository. */
        Optional<String> token();

        @WithDefault("PT5S")
        Duration pollInitial();

        @WithDefault("PT1M")
        Duration pollMax();

        @WithDefault("PT3M")
        Duration defaultStartup();

        /** Renew a session this long before skaha would expire it, while its booking runs on. */
        @WithDefault("PT1H")
        Duration renewMargin();

        /** How long the sizes of /context and the images of /image are trusted before they are fetched again. */
        @WithDefault("PT10M")
        Duration catalogueTtl();

        /** Where skaha mounts the shared storage in sessions; session folders are passed as ORRERY_WORKDIR under it. */
        @WithDefault("/arc")
        Path storageRoot();
    }

    /** The model the simulated backend follows; a launch's ORRERY_SIM_* variables override it per session. */
    interface Simulated {
        /** From the launch to Running (and what quotes answer). */
        @WithDefault("PT30S")
        Duration startup();

        /** From Running to the end of a headless session; notebooks run until deleted. */
        @WithDefault("PT10M")
        Duration runtime();

        /** The status sessions exit with (0: Succeeded, else Failed). */
        @WithDefault("0")
        int exitStatus();

        /** From the delete's terminate to the session's end. */
        @WithDefault("PT0S")
        Duration stop();

        /**
         * How often a running session is looked at besides its modelled changes (the watcher looks at
         * those exactly). Only a safety net, since nothing outside the model changes a simulated
         * session, and each look is an advance of simulated time: rare by default.
         */
        @WithDefault("P1D")
        Duration poll();
    }
}
