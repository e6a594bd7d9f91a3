package orrery.canfar.backend.local;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import orrery.canfar.CanfarConfig;
import orrery.canfar.backend.BlockingCalls;
import orrery.canfar.backend.Feasibility;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.backend.SessionLog;
import orrery.canfar.backend.SessionRef;
import orrery.canfar.domain.ExitStatus;
import orrery.canfar.domain.NotebookCommand;
import orrery.canfar.domain.Observation;
import orrery.canfar.domain.PollBackoff;
import orrery.canfar.domain.Refusals;
import orrery.canfar.domain.SessionFolders;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.SessionKind;
import orrery.model.canfar.SessionStatus;
import orrery.model.time.TimeSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sessions as process groups on this machine: the command runs in the session folder (under the
 * shared storage root) in a new session and process group ({@code setsid}), with the memory and
 * cores limits {@code prlimit} and {@code taskset} can apply, its output in a log file, and its
 * exit status recorded by a {@link Supervisor} that outlives the adapter. Everything the backend
 * knows about a session is in its run folder, so a restarted adapter picks up where it was.
 */
@ApplicationScoped
@Typed(LocalBackend.class)
public class LocalBackend implements SessionBackend {

    private static final Logger LOG = Logger.getLogger(LocalBackend.class);
    static final String SUPERVISOR_PID = "supervisor.pid";
    static final String SUPERVISOR_LOG = "supervisor.log";
    /** A group whose leader ended longer ago than this is not signalled: its id may belong to someone else by now. */
    private static final Duration GROUP_REUSE_GUARD = Duration.ofMinutes(5);
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);
    private static final java.util.concurrent.ExecutorService SPAWNER = java.util.concurrent.Executors
            .newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "local-session-spawner");
                thread.setDaemon(true);
                return thread;
            });

    private final CanfarConfig.Local config;
    private final SessionFolders folders;
    private final BlockingCalls blocking;
    private final TimeSource time;
    private final Path runDir;
    private final String hostPath;
    private final Optional<Path> setsid;
    private final Optional<Path> prlimit;
    private final Optional<Path> taskset;
    private final ProcessGroups groups;
    private final SessionFence fence;
    private volatile Consumer<String> listener = id -> { };
    private volatile Path supervisorClasses;

    @Inject
    public LocalBackend(CanfarConfig config, @ConfigProperty(name = "orrery.storage.root") Path storageRoot,
                        BlockingCalls blocking, TimeSource time) {
        this(config, storageRoot, blocking, time, new HostAccounts(System.getenv("PATH")));
    }

    /** With the accounts of this machine as {@code accounts} sees them (tests pretend to be someone else). */
    LocalBackend(CanfarConfig config, Path storageRoot, BlockingCalls blocking, TimeSource time, HostAccounts accounts) {
        this.config = config.local();
        this.folders = new SessionFolders(storageRoot);
        this.blocking = blocking;
        this.time = time;
        this.runDir = this.config.runDir().toAbsolutePath().normalize();
        this.hostPath = System.getenv("PATH");
        this.setsid = HostTools.which("setsid", hostPath);
        this.prlimit = HostTools.which("prlimit", hostPath);
        this.taskset = HostTools.which("taskset", hostPath);
        this.groups = new ProcessGroups(HostTools.which("kill", hostPath));
        this.fence = new SessionFence(this.config, accounts, hostPath, alwaysHidden(folders.root(), runDir));
        if (setsid.isEmpty()) {
            LOG.warn("setsid (util-linux) is not installed: local sessions cannot get a process group of their own, "
                    + "so they cannot be launched");
        }
        if (this.config.limits() && (prlimit.isEmpty() || taskset.isEmpty())) {
            LOG.warnf("limits asked for but %s missing: sessions run without %s", prlimit.isEmpty() ? "prlimit" : "taskset",
                    prlimit.isEmpty() ? "a memory limit" : "a cores limit");
        }
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void onChange(Consumer<String> sessionId) {
        this.listener = sessionId;
    }

    @Override
    public PollBackoff backoff() {
        return new PollBackoff(config.pollInitial(), config.pollMax(), 1.6);
    }

    @Override
    public Duration defaultStartup() {
        return config.defaultStartup();
    }

    @Override
    public Duration killGrace() {
        return config.grace();
    }

    @Override
    public Uni<String> launch(LaunchSpec spec) {
        return blocking.call(() -> start(spec));
    }

    @Override
    public Uni<String> find(SessionRef session) {
        return blocking.call(() -> wasStarted(runFolder(session.sessionId())) ? session.sessionId() : null);
    }

    @Override
    public Uni<Observation> observe(SessionRef session) {
        return blocking.call(() -> look(runFolder(session.sessionId())));
    }

    @Override
    public Uni<Void> terminate(SessionRef session) {
        return blocking.call(() -> {
            signal(runFolder(session.sessionId()), false);
            return null;
        });
    }

    @Override
    public Uni<Void> kill(SessionRef session) {
        return blocking.call(() -> {
            signal(runFolder(session.sessionId()), true);
            return null;
        });
    }

    @Override
    public Uni<Instant> renew(SessionRef session) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<SessionLog> logs(SessionRef session, long offset) {
        Path log = runFolder(session.sessionId()).resolve(Supervisor.OUTPUT);
        return Uni.createFrom().item(Files.exists(log) ? new SessionLog.LocalFile(log, offset) : new SessionLog.Text(""));
    }

    @Override
    public Uni<Feasibility> feasibility(CanfarQuoteRequest request) {
        return blocking.call(() -> {
            try {
                checkSize(request.cores(), request.ram());
                if (request.kind() == SessionKind.notebook) {
                    jupyter(config.path());
                }
                Optional<String> unfenced = fence.problem();
                return unfenced.isPresent() ? Feasibility.no(unfenced.get()) : Feasibility.yes();
            } catch (orrery.model.problem.ProblemException refused) {
                return Feasibility.no(refused.getMessage());
            }
        });
    }

    // --- launching ------------------------------------------------------------------------------

    private String start(LaunchSpec spec) throws IOException {
        Path folder = folders.resolve(spec.workdir());
        checkSize(spec.cores(), spec.ram());
        if (setsid.isEmpty()) {
            throw Refusals.unsupported("the local backend needs setsid (util-linux) to give a session its own process "
                    + "group; install util-linux on the adapter's machine");
        }
        Map<String, String> env = environment(spec, folder);
        List<String> command = command(spec, folder, env.get("PATH"));
        Path run = runFolder(spec.sessionId());
        if (wasStarted(run)) {
            LOG.infof("session %s was already started; not starting it twice", spec.sessionId());
            return spec.sessionId();
        }
        SessionFence.Fence fenced = fence.resolve();
        fence.prepare(fenced, folder);
        Files.createDirectories(run, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<String> argv = limited(spec, fence.wrap(fenced, folder, command));
        Path java = supervisorJava();
        if (java != null) {
            startSupervised(spec.sessionId(), run, folder, env, argv, java);
        } else {
            startDirect(spec.sessionId(), run, folder, env, argv);
        }
        LOG.infof("started local session %s in %s as %s%s: %s", spec.sessionId(), folder, fenced.runsAs().name(),
                fenced.bwrap().isPresent() ? ", sandboxed" : "", command);
        return spec.sessionId();
    }

    private void startSupervised(String sessionId, Path run, Path folder, Map<String, String> env, List<String> argv,
                                 Path java) throws IOException {
        Supervisor.writeEnv(run, env);
        List<String> supervisor = new ArrayList<>(List.of(setsid.get().toString(), java.toString(),
                "-Xmx16m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", supervisorClasses.toString(), Supervisor.class.getName(), run.toString(), folder.toString(), "--"));
        supervisor.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(supervisor).directory(run.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve(SUPERVISOR_LOG).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // The supervisor JVM gets a bare environment: the session's own goes through the env file,
        // so nothing the user sets (JAVA_TOOL_OPTIONS, say) can change the supervisor.
        builder.environment().clear();
        builder.environment().put("PATH", hostPath == null ? "/usr/bin:/bin" : hostPath);
        Process process = builder.start();
        writeAtomically(run.resolve(SUPERVISOR_PID), process.pid() + " " + startMillis(process.toHandle()));
        process.onExit().thenRun(() -> listener.accept(sessionId));
    }

    private void startDirect(String sessionId, Path run, Path folder, Map<String, String> env, List<String> argv)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve(Supervisor.OUTPUT).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = spawn(builder);
        writeAtomically(run.resolve(Supervisor.PID), process.pid() + " " + startMillis(process.toHandle()));
        process.onExit().thenAccept(ended -> {
            try {
                writeAtomically(run.resolve(Supervisor.EXIT), Integer.toString(ended.exitValue()));
            } catch (IOException e) {
                LOG.errorf(e, "cannot record the exit status of local session %s", sessionId);
            }
            listener.accept(sessionId);
        });
    }

    /**
     * Starts a direct-mode session from the one thread kept for it. The sandbox dies with the thread that
     * started it (bwrap's {@code --die-with-parent} is the Linux parent-death signal, which follows the
     * starting thread, not the process), and worker threads come and go; this one lives as long as the
     * adapter, so a session ends with the adapter and never earlier.
     */
    private static Process spawn(ProcessBuilder builder) throws IOException {
        try {
            return SPAWNER.submit(builder::start).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the session", e);
        }
    }

    /** The session's command: the program (resolved on the session's PATH) and its arguments, or Jupyter for a notebook. */
    private List<String> command(LaunchSpec spec, Path folder, String path) {
        if (spec.kind() == SessionKind.notebook) {
            Path notebook = NotebookCommand.pick(folder, spec.cmd());
            return NotebookCommand.argv(jupyter(path).toString(), notebook);
        }
        String cmd = spec.cmd();
        Optional<Path> program;
        if (cmd.contains("/")) {
            Path file = folder.resolve(cmd).normalize();
            // Relative to the session folder, where the command starts: the session account may not be able to
            // pass through the folders above it, and in the sandbox only the folder itself is there.
            program = Files.isRegularFile(file) && Files.isExecutable(file)
                    ? Optional.of(file.startsWith(folder) ? Path.of(".").resolve(folder.relativize(file)) : file)
                    : Optional.empty();
        } else {
            program = HostTools.which(cmd, path);
        }
        if (program.isEmpty()) {
            throw Refusals.unsupported("command '" + cmd + "' is not " + (cmd.contains("/")
                    ? "an executable file (relative paths start in the session folder)"
                    : "installed on the local backend's machine (not found on PATH " + path + ")"));
        }
        List<String> argv = new ArrayList<>();
        argv.add(program.get().toString());
        argv.addAll(spec.args());
        return argv;
    }

    private Path jupyter(String path) {
        return HostTools.which(config.jupyter(), path).orElseThrow(() -> Refusals.unsupported(
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
    private List<String> limited(LaunchSpec spec, List<String> command) {
        List<String> argv = new ArrayList<>();
        if (config.limits() && prlimit.isPresent()) {
            argv.addAll(List.of(prlimit.get().toString(), "--data=" + spec.ram() * 1024L * 1024L * 1024L, "--"));
        }
        if (config.limits() && taskset.isPresent() && spec.cores() < HostTools.processors()) {
            argv.addAll(List.of(taskset.get().toString(), "--cpu-list", "0-" + (spec.cores() - 1)));
        }
        argv.addAll(List.of(setsid.get().toString(), "--"));
        argv.addAll(command);
        return argv;
    }

    /** The session's environment, from the request alone: nothing of the adapter's own (no password, no token). */
    private Map<String, String> environment(LaunchSpec spec, Path folder) {
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

    /**
     * What the sandbox always hides: the storage root (every other session folder), the run folder (logs and
     * records of all sessions), the adapter's working directory, the checkout holding it and the adapter's
     * home (its code, configuration and keys), the shared temporary folders, and mounted secrets.
     */
    private static Set<Path> alwaysHidden(Path storageRoot, Path runDir) {
        Set<Path> hidden = new LinkedHashSet<>(List.of(storageRoot, runDir));
        Path workingDir = Path.of(System.getProperty("user.dir", "/")).toAbsolutePath().normalize();
        hidden.add(workingDir);
        for (Path dir = workingDir; dir != null && dir.getParent() != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                hidden.add(dir);
                break;
            }
        }
        hidden.add(Path.of(System.getProperty("user.home", "/")));
        hidden.addAll(Sandbox.SCRATCH);
        hidden.addAll(List.of(Path.of("/run/secrets"), Path.of("/var/run/secrets")));
        return hidden;
    }

    private void checkSize(int cores, int ram) {
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

    private Path supervisorJava() throws IOException {
        String mode = config.supervisor();
        if ("direct".equals(mode)) {
            return null;
        }
        Optional<Path> java = HostTools.currentJava();
        if (java.isEmpty()) {
            if ("java".equals(mode)) {
                throw new IllegalStateException("orrery.canfar.local.supervisor=java but the adapter does not run on a "
                        + "JVM it can start again (native executable?)");
            }
            return null;
        }
        if (supervisorClasses == null) {
            supervisorClasses = extractSupervisor();
        }
        return java.get();
    }

    /** Copies Supervisor.class out of the adapter's own classes, so any packaging (jar, folders) works. */
    private synchronized Path extractSupervisor() throws IOException {
        Path classes = runDir.resolve(".supervisor");
        Path target = classes.resolve(Supervisor.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(target.getParent());
        try (InputStream bytes = Supervisor.class.getResourceAsStream("Supervisor.class")) {
            if (bytes == null) {
                throw new IOException("Supervisor.class is not readable from the adapter's classes");
            }
            Path temporary = target.resolveSibling("Supervisor.class.tmp");
            Files.copy(bytes, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return classes;
    }

    // --- looking and signalling -----------------------------------------------------------------

    private Observation look(Path run) throws IOException {
        if (!Files.isDirectory(run)) {
            return Observation.gone("the adapter has no record of this local session");
        }
        Path pidFile = run.resolve(Supervisor.PID);
        ProcessRecord command = ProcessRecord.read(pidFile);
        Instant started = command == null ? null : command.start();
        if (command != null && started == null) {
            // A command that ended at once has no start time left to read; the record was written as it started.
            started = Files.getLastModifiedTime(pidFile).toInstant();
        }
        Integer exit = readInt(run.resolve(Supervisor.EXIT));
        if (exit != null) {
            String error = readText(run.resolve(Supervisor.ERROR));
            SessionStatus status = exit == 0 ? SessionStatus.Succeeded : SessionStatus.Failed;
            String message = ExitStatus.describe(exit) + (error == null ? "" : ": " + error);
            return new Observation(status, started, null, exit, message, null, false);
        }
        boolean supervising = isAlive(ProcessRecord.read(run.resolve(SUPERVISOR_PID)));
        if (command != null) {
            if (isAlive(command) || supervising) {
                return new Observation(SessionStatus.Running, started, null, null, null, null, false);
            }
            return new Observation(SessionStatus.Failed, started, null, null,
                    "the command ended but its exit status was not recorded (the adapter or its supervisor was stopped while it ran)", null, false);
        }
        if (supervising) {
            return Observation.of(SessionStatus.Pending);
        }
        String log = tail(run.resolve(SUPERVISOR_LOG));
        return new Observation(SessionStatus.Failed, null, null, null,
                "the session's supervisor ended before starting the command" + (log.isEmpty() ? "" : ": " + log),
                null, false);
    }

    private void signal(Path run, boolean kill) throws IOException {
        ProcessRecord command = ProcessRecord.read(run.resolve(Supervisor.PID));
        if (command == null) {
            ProcessRecord supervisor = ProcessRecord.read(run.resolve(SUPERVISOR_PID));
            if (isAlive(supervisor)) {
                ProcessHandle.of(supervisor.pid()).ifPresent(kill ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
            }
            return;
        }
        Path exit = run.resolve(Supervisor.EXIT);
        boolean endedLongAgo = Files.exists(exit)
                && Files.getLastModifiedTime(exit).toInstant().plus(GROUP_REUSE_GUARD).isBefore(time.now());
        if (isAlive(command) || !endedLongAgo) {
            if (kill) {
                groups.kill(command.pid());
            } else {
                groups.terminate(command.pid());
            }
        }
    }

    private boolean isAlive(ProcessRecord record) {
        if (record == null) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(record.pid()).filter(ProcessHandle::isAlive);
        if (handle.isEmpty() || isZombie(record.pid())) {
            return false;
        }
        Optional<Instant> start = handle.get().info().startInstant();
        // A different start time means the pid now belongs to another process.
        return record.start() == null || start.isEmpty()
                || Duration.between(record.start(), start.get()).abs().compareTo(START_TOLERANCE) <= 0;
    }

    /**
     * An orphan that ended but was not reaped (a container whose first process does not reap)
     * still answers to its pid; /proc says it is a zombie.
     */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int afterName = stat.lastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Path runFolder(String sessionId) {
        Path run = runDir.resolve(sessionId).normalize();
        if (!run.getParent().equals(runDir)) {
            throw new IllegalArgumentException("not a session id: " + sessionId);
        }
        return run;
    }

    private static boolean wasStarted(Path run) {
        return Files.exists(run.resolve(SUPERVISOR_PID)) || Files.exists(run.resolve(Supervisor.PID))
                || Files.exists(run.resolve(Supervisor.EXIT));
    }

    private static long startMillis(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }

    private static Integer readInt(Path file) throws IOException {
        String text = readText(file);
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String readText(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            return text.length() > 500 ? "…" + text.substring(text.length() - 500) : text;
        } catch (IOException e) {
            return "";
        }
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A pid and the start time recorded with it (to tell the process from a later one with the same pid). */
    record ProcessRecord(long pid, Instant start) {

        static ProcessRecord read(Path file) {
            try {
                if (!Files.exists(file)) {
                    return null;
                }
                String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
                long millis = parts.length > 1 ? Long.parseLong(parts[1]) : -1;
                return new ProcessRecord(Long.parseLong(parts[0]), millis < 0 ? null : Instant.ofEpochMilli(millis));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
