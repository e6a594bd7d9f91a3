package orrery.canfar.backend.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.domain.NotebookCommand;
import orrery.canfar.domain.Refusals;
import orrery.model.canfar.SessionKind;
import org.jboss.logging.Logger;

/**
 * What a local session runs, never through a shell: its environment (from the request alone), its
 * program (resolved on the session's PATH, or Jupyter for a notebook), and the programs around it,
 * outermost first: {@code prlimit} (memory) and {@code taskset} (cores) where installed and asked for,
 * {@code setsid} for a process group of its own, then the fence ({@link SessionFence#wrap}).
 * Sizes beyond this machine are refused here.
 */
final class SessionCommands {

    private static final Logger LOG = Logger.getLogger(SessionCommands.class);

    private final CanfarConfig.Local config;
    private final Optional<Path> setsid;
    private final Optional<Path> prlimit;
    private final Optional<Path> taskset;

    SessionCommands(CanfarConfig.Local config, String hostPath) {
        this.config = config;
        this.setsid = HostTools.which("setsid", hostPath);
        this.prlimit = HostTools.which("prlimit", hostPath);
        this.taskset = HostTools.which("taskset", hostPath);
        warnAboutMissingTools();
    }

    /** Refuses a session this machine cannot run: more cores or memory than it has, or no setsid. */
    void checkRunnable(LaunchSpec spec) {
        checkSize(spec.cores(), spec.ram());
        setsid();
    }

    /** Refuses more cores or memory than this machine has. */
    void checkSize(int cores, int ram) {
        int processors = HostTools.processors();
        if (cores > processors) {
            throw Refusals.unsupported("this machine has " + processors + " processors; a local session cannot have "
                    + cores + " cores");
        }
        Optional<Long> memory = HostTools.memoryGb();
        if (memory.isPresent() && ram > memory.get()) {
            throw Refusals.unsupported("this machine has " + memory.get() + " GB of memory; a local session cannot have "
                    + ram + " GB");
        }
    }

    /** The session's environment, from the request alone: nothing of the adapter's own (no password, no token). */
    Map<String, String> environment(LaunchSpec spec, Path folder) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", config.path());
        env.put("HOME", folder.toString());
        env.put("LANG", config.lang());
        env.putAll(spec.env());
        env.put("ORRERY_SESSION_ID", spec.sessionId());
        env.put("ORRERY_EXECUTION_ID", spec.executionId());
        env.put("ORRERY_WORKDIR", folder.toString());
        return env;
    }

    /** The session's command: the program (resolved on the session's PATH) and its arguments, or Jupyter for a notebook. */
    List<String> command(LaunchSpec spec, Path folder) {
        if (spec.kind() == SessionKind.notebook) {
            Path notebook = NotebookCommand.pick(folder, spec.cmd());
            return NotebookCommand.argv(jupyter().toString(), notebook);
        }
        List<String> argv = new ArrayList<>();
        argv.add(program(spec.cmd(), folder).toString());
        argv.addAll(spec.args());
        return argv;
    }

    /** Jupyter on the sessions' PATH, or a refusal saying what to install. */
    Path jupyter() {
        return HostTools.which(config.jupyter(), config.path()).orElseThrow(() -> Refusals.unsupported(
                "local notebook sessions execute the notebook with Jupyter, and '" + config.jupyter()
                        + "' is not installed here: install it (pip install nbconvert ipykernel, or apt-get install "
                        + "jupyter-nbconvert python3-ipykernel) so that it is on the adapter's PATH, or point "
                        + "orrery.canfar.local.jupyter at it"));
    }

    /**
     * prlimit (memory) and taskset (cores) around {@code setsid -- command}, where installed and asked for;
     * {@code command} is the fenced one (sandbox, account switch, command), so the limits are set while the
     * adapter's privileges are still there and the session cannot lift them.
     */
    List<String> limited(LaunchSpec spec, List<String> command) {
        List<String> argv = new ArrayList<>();
        if (config.limits() && prlimit.isPresent()) {
            argv.addAll(List.of(prlimit.get().toString(), "--data=" + spec.ram() * 1024L * 1024L * 1024L, "--"));
        }
        if (config.limits() && taskset.isPresent() && spec.cores() < HostTools.processors()) {
            argv.addAll(List.of(taskset.get().toString(), "--cpu-list", "0-" + (spec.cores() - 1)));
        }
        argv.addAll(List.of(setsid().toString(), "--"));
        argv.addAll(command);
        return argv;
    }

    /** {@code setsid -- command}: a process group of its own, without limits (podman applies a container's). */
    List<String> inOwnGroup(List<String> command) {
        List<String> argv = new ArrayList<>(List.of(setsid().toString(), "--"));
        argv.addAll(command);
        return argv;
    }

    /** The supervisor JVM, in a session of its own, running {@code argv} in {@code folder} and recording it in {@code run}. */
    List<String> supervised(Path java, Path supervisorClasses, RunFolder run, Path folder, List<String> argv) {
        List<String> supervisor = new ArrayList<>(List.of(setsid().toString(), java.toString(),
                "-Xmx16m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", supervisorClasses.toString(), Supervisor.class.getName(), run.dir().toString(), folder.toString(),
                "--"));
        supervisor.addAll(argv);
        return supervisor;
    }

    /** The program {@code cmd} names: a file relative to the session folder, or a program on the sessions' PATH. */
    private Path program(String cmd, Path folder) {
        Optional<Path> program = cmd.contains("/") ? executableIn(folder, cmd) : HostTools.which(cmd, config.path());
        return program.orElseThrow(() -> Refusals.unsupported("command '" + cmd + "' is not " + (cmd.contains("/")
                ? "an executable file (relative paths start in the session folder)"
                : "installed on the local backend's machine (not found on PATH " + config.path() + ")")));
    }

    /**
     * An executable file, relative to the session folder, where the command starts: the session account may not be
     * able to pass through the folders above it, and in the sandbox only the folder itself is there.
     */
    private static Optional<Path> executableIn(Path folder, String cmd) {
        Path file = folder.resolve(cmd).normalize();
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            return Optional.empty();
        }
        return Optional.of(file.startsWith(folder) ? Path.of(".").resolve(folder.relativize(file)) : file);
    }

    private Path setsid() {
        return setsid.orElseThrow(() -> Refusals.unsupported("the local backend needs setsid (util-linux) to give a "
                + "session its own process group; install util-linux on the adapter's machine"));
    }

    private void warnAboutMissingTools() {
        if (setsid.isEmpty()) {
            LOG.warn("setsid (util-linux) is not installed: local sessions cannot get a process group of their own, "
                    + "so they cannot be launched");
        }
        if (config.limits() && (prlimit.isEmpty() || taskset.isEmpty())) {
            LOG.warnf("limits asked for but %s missing: sessions run without %s", prlimit.isEmpty() ? "prlimit" : "taskset",
                    prlimit.isEmpty() ? "a memory limit" : "a cores limit");
        }
    }
}
