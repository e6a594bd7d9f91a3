package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.domain.Refusals;
import orrery.model.canfar.ImageReference;
import orrery.model.canfar.VolumeMount;
import org.jboss.logging.Logger;

/**
 * Container sessions on this machine, run by podman: the image must already be here (the backend
 * never pulls, so a quote can tell for certain whether the launch will find it), the session folder
 * is the container's {@code /session} and its working directory, the container runs as the session
 * account with no capabilities, no new privileges, the configured network ({@code none} by default)
 * and the cores and memory booked. Podman is the fence here, in place of bubblewrap: the container
 * sees its image and the session folder, nothing of the suite.
 *
 * <p>The session's variables go through an env file in the session's run folder, not the command
 * line (where other accounts could read them) nor podman's own environment (where PATH or
 * CONTAINERS_CONF would change what podman does).
 */
final class ContainerRuntime {

    /** The run-folder file naming the container, so that a kill can remove it (a killed podman client leaves it running). */
    static final String CONTAINER_NAME = "container.name";
    static final String ENV_FILE = "container.env";
    static final String MOUNT = "/session";

    private static final Logger LOG = Logger.getLogger(ContainerRuntime.class);

    private final CanfarConfig.Containers config;
    private final String hostPath;

    ContainerRuntime(CanfarConfig.Containers config, String hostPath) {
        this.config = config;
        this.hostPath = hostPath;
    }

    /** Refuses a container session this machine cannot run: no podman, or an image that is not here. */
    void checkRunnable(String image) {
        Path podman = podman();
        String problem = HostProbes.run(List.of(podman.toString(), "image", "exists", image), environment());
        if (problem == null) {
            return;
        }
        if (problem.startsWith("exit 1")) {
            throw Refusals.unsupported("image " + image + " is not on this machine, and the local backend runs only "
                    + "images already here (it never pulls): podman pull " + ImageReference.parse(image).name()
                    + " (or podman load) on the adapter's machine first");
        }
        throw Refusals.unsupported("podman could not be asked about image " + image + " (" + problem + "); "
                + "see canfar-adapter/README.md, \"Container sessions\"");
    }

    /**
     * The podman command line for {@code spec} with {@code folder} as its /session, its variables ({@link
     * #sessionEnvironment}) written to the run folder's env file.
     */
    List<String> command(LaunchSpec spec, RunFolder run, Path folder, HostAccounts.Account runsAs, Map<String, String> env)
            throws IOException {
        run.write(ENV_FILE, envFile(env));
        run.write(CONTAINER_NAME, containerName(spec.sessionId()));
        List<String> argv = new ArrayList<>(List.of(podman().toString(), "run", "--rm", "--pull=never",
                "--name", containerName(spec.sessionId()),
                "--network", config.network(),
                "--cap-drop", "all", "--security-opt", "no-new-privileges",
                "--user", runsAs.uid() + ":" + (runsAs.gid() >= 0 ? runsAs.gid() : runsAs.uid()),
                "--cpus", Integer.toString(spec.cores()), "--memory", spec.ram() + "g",
                "--volume", folder + ":" + MOUNT, "--workdir", MOUNT,
                "--env-file", run.file(ENV_FILE).toString()));
        for (VolumeMount mount : spec.mounts()) {
            argv.addAll(List.of("--volume", stagedFile(folder, mount.item()) + ":" + mount.path() + (mount.readOnly() ? ":ro" : "")));
        }
        if (spec.cmd() != null) {
            argv.addAll(List.of("--entrypoint", spec.cmd()));
        }
        argv.add(spec.image());
        argv.addAll(spec.args());
        return argv;
    }

    /**
     * Refuses, before anything of the launch is written, a session folder podman's {@code --volume} cannot name (it
     * splits at ':') and a mount whose file is not in the session folder.
     */
    static void checkMounts(LaunchSpec spec, Path folder) throws IOException {
        if (folder.toString().indexOf(':') >= 0 || folder.toString().indexOf(',') >= 0) {
            throw Refusals.unsupported("the session folder " + folder + " holds ':' or ',', which podman's --volume cannot take");
        }
        for (VolumeMount mount : spec.mounts()) {
            stagedFile(folder, mount.item());
        }
    }

    /** The real path of a mount's file, which must be in the session folder (a link out of it is refused). */
    static Path stagedFile(Path folder, String item) throws IOException {
        Path file = folder.resolve(item).normalize();
        if (!Files.isRegularFile(file)) {
            throw Refusals.unsupported("the mount's item '" + item + "' is not a file of the session folder (was it staged?)");
        }
        Path real = file.toRealPath();
        if (!real.startsWith(folder.toRealPath())) {
            throw Refusals.invalidField("mounts", "the mount's item '" + item + "' leads out of the session folder");
        }
        return real;
    }

    /** The session's variables as the container sees them (its folder is /session); refused when podman cannot pass one. */
    Map<String, String> sessionEnvironment(LaunchSpec spec) {
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        env.put("HOME", MOUNT);
        env.put("ORRERY_SESSION_ID", spec.sessionId());
        env.put("ORRERY_EXECUTION_ID", spec.executionId());
        env.put("ORRERY_WORKDIR", MOUNT);
        envFile(env);
        return env;
    }

    /** What podman itself runs with: the adapter's PATH (for its helpers) and the configured containers.conf. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", hostPath == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : hostPath);
        config.conf().ifPresent(conf -> env.put("CONTAINERS_CONF", conf.toAbsolutePath().toString()));
        return env;
    }

    /** Removes the container of a session that is being killed, when it has one (no-op otherwise). */
    void remove(RunFolder run) {
        Path name = run.file(CONTAINER_NAME);
        Optional<Path> podman = podmanIfAny();
        if (!name.toFile().isFile() || podman.isEmpty()) {
            return;
        }
        try {
            String container = Files.readString(name).strip();
            String problem = HostProbes.run(List.of(podman.get().toString(), "rm", "--force", "--time", "0",
                    "--ignore", container), environment());
            if (problem != null) {
                LOG.warnf("could not remove container %s: %s", container, problem);
            }
        } catch (IOException e) {
            LOG.warnf("could not read the container name in %s: %s", name, e.getMessage());
        }
    }

    static String containerName(String sessionId) {
        return "orrery-" + sessionId;
    }

    private Path podman() {
        return podmanIfAny().orElseThrow(() -> Refusals.unsupported("container sessions on the local backend run with "
                + "podman, which is " + ("none".equals(config.podman()) ? "turned off here (orrery.canfar.local.containers.podman=none)"
                : "not installed here: apt-get install podman (see canfar-adapter/README.md, \"Container sessions\"), or "
                + "point orrery.canfar.local.containers.podman at it")));
    }

    private Optional<Path> podmanIfAny() {
        return "none".equals(config.podman()) ? Optional.empty() : HostTools.which(config.podman(), hostPath);
    }

    /** podman's env-file: one NAME=value per line, so a value may not hold a line break. */
    private static String envFile(Map<String, String> env) {
        StringBuilder file = new StringBuilder();
        for (Map.Entry<String, String> entry : env.entrySet()) {
            if (entry.getValue().indexOf('\n') >= 0 || entry.getValue().indexOf('\r') >= 0) {
                throw Refusals.invalidField("env." + entry.getKey(), "a container session's variables may not hold "
                        + "line breaks; " + entry.getKey() + " does");
            }
            file.append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
        }
        return file.toString();
    }
}
