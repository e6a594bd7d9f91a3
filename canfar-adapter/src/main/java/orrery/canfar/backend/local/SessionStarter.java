package orrery.canfar.backend.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.config.CanfarConfig.SupervisorMode;
import org.jboss.logging.Logger;

/**
 * Starts a local session's command line and arranges for its exit status to be recorded: by a
 * {@link Supervisor} JVM (copied out of the adapter's own classes) that outlives the adapter, or,
 * where no JVM can be started again (a native executable) or {@code supervisor=direct}, by the
 * adapter itself. Either way, who listens hears when the session's process ends.
 */
final class SessionStarter {

    private static final Logger LOG = Logger.getLogger(SessionStarter.class);
    private static final File NO_INPUT = new File("/dev/null");
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "local-session-spawner");
        thread.setDaemon(true);
        return thread;
    });

    private final SupervisorMode mode;
    private final Path runDir;
    private final String hostPath;
    private final SessionCommands commands;
    private volatile Consumer<String> listener = id -> { };
    private volatile Path supervisorClasses;

    SessionStarter(CanfarConfig.Local config, Path runDir, String hostPath, SessionCommands commands) {
        this.mode = config.supervisor();
        this.runDir = runDir;
        this.hostPath = hostPath;
        this.commands = commands;
    }

    /** Who hears a session's id when its process ends. */
    void onExit(Consumer<String> listener) {
        this.listener = listener;
    }

    /** Starts {@code argv} (the limited, fenced command) in {@code folder}, with {@code env}, recorded in {@code run}. */
    void start(String sessionId, RunFolder run, Path folder, Map<String, String> env, List<String> argv)
            throws IOException {
        Optional<Path> java = supervisorJava();
        if (java.isPresent()) {
            startSupervised(sessionId, run, folder, env, commands.supervised(java.get(), supervisorClasses, run, folder, argv));
        } else {
            startDirect(sessionId, run, folder, env, argv);
        }
    }

    private void startSupervised(String sessionId, RunFolder run, Path folder, Map<String, String> env,
                                 List<String> supervisor) throws IOException {
        Supervisor.writeEnv(run.dir(), env);
        ProcessBuilder builder = new ProcessBuilder(supervisor).directory(run.dir().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.file(RunFolder.SUPERVISOR_LOG).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        // The supervisor JVM gets a bare environment: the session's own goes through the env file,
        // so nothing the user sets (JAVA_TOOL_OPTIONS, say) can change the supervisor.
        builder.environment().clear();
        builder.environment().put("PATH", hostPath == null ? "/usr/bin:/bin" : hostPath);
        Process process = builder.start();
        run.recordProcess(RunFolder.SUPERVISOR_PID, process);
        process.onExit().thenRun(() -> listener.accept(sessionId));
    }

    private void startDirect(String sessionId, RunFolder run, Path folder, Map<String, String> env, List<String> argv)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.file(Supervisor.OUTPUT).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = spawn(builder);
        run.recordProcess(Supervisor.PID, process);
        process.onExit().thenAccept(ended -> {
            recordExit(sessionId, run, ended.exitValue());
            listener.accept(sessionId);
        });
    }

    private static void recordExit(String sessionId, RunFolder run, int status) {
        try {
            run.write(Supervisor.EXIT, Integer.toString(status));
        } catch (IOException e) {
            LOG.errorf(e, "cannot record the exit status of local session %s", sessionId);
        }
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
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the session", e);
        }
    }

    /** The JVM to run the supervisor with (its class copied out first), or empty to start the command directly. */
    private Optional<Path> supervisorJava() throws IOException {
        if (mode == SupervisorMode.direct) {
            return Optional.empty();
        }
        Optional<Path> java = HostTools.currentJava();
        if (java.isEmpty() && mode == SupervisorMode.java) {
            throw new IllegalStateException("orrery.canfar.local.supervisor=java but the adapter does not run on a "
                    + "JVM it can start again (native executable?)");
        }
        if (java.isPresent() && supervisorClasses == null) {
            supervisorClasses = extractSupervisor();
        }
        return java;
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
}
