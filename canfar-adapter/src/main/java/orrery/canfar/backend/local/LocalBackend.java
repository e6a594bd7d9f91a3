package orrery.canfar.backend.local;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import orrery.canfar.backend.BlockingCalls;
import orrery.canfar.backend.Feasibility;
import orrery.canfar.backend.LaunchSpec;
import orrery.canfar.backend.SessionBackend;
import orrery.canfar.backend.SessionRef;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.config.StorageConfig;
import orrery.canfar.domain.Observation;
import orrery.canfar.domain.PollBackoff;
import orrery.canfar.domain.SessionFolders;
import orrery.canfar.domain.SessionLog;
import orrery.model.canfar.CanfarQuoteRequest;
import orrery.model.canfar.SessionKind;
import orrery.model.problem.ProblemException;
import orrery.model.time.TimeSource;
import org.jboss.logging.Logger;

/**
 * Sessions as process groups on this machine: the command runs in the session folder (under the
 * shared storage root) in a new session and process group ({@code setsid}), with the memory and
 * cores limits {@code prlimit} and {@code taskset} can apply, its output in a log file, and its
 * exit status recorded by a {@link Supervisor} that outlives the adapter. Everything the backend
 * knows about a session is in its {@link RunFolder}, so a restarted adapter picks up where it was.
 *
 * <p>The work is shared out: {@link SessionCommands} builds the command line, {@link SessionFence}
 * fences it off from the suite, {@link SessionStarter} starts it, {@link SessionProcesses} looks at
 * and signals it. Blocking calls run through {@link BlockingCalls}.
 */
@ApplicationScoped
@Typed(LocalBackend.class)
public class LocalBackend implements SessionBackend {

    private static final Logger LOG = Logger.getLogger(LocalBackend.class);

    private final CanfarConfig.Local config;
    private final SessionFolders folders;
    private final BlockingCalls blocking;
    private final Path runDir;
    private final SessionCommands commands;
    private final SessionFence fence;
    private final SessionStarter starter;
    private final SessionProcesses processes;
    private final ContainerRuntime containers;

    @Inject
    public LocalBackend(CanfarConfig config, StorageConfig storage, BlockingCalls blocking, TimeSource time) {
        this(config, storage.root(), blocking, time, new HostAccounts(System.getenv("PATH")));
    }

    /** With the accounts of this machine as {@code accounts} sees them (tests pretend to be someone else). */
    LocalBackend(CanfarConfig config, Path storageRoot, BlockingCalls blocking, TimeSource time, HostAccounts accounts) {
        String hostPath = System.getenv("PATH");
        this.config = config.local();
        this.folders = new SessionFolders(storageRoot);
        this.blocking = blocking;
        this.runDir = this.config.runDir().toAbsolutePath().normalize();
        this.commands = new SessionCommands(this.config, hostPath);
        this.fence = new SessionFence(this.config, accounts, hostPath, alwaysHidden(folders.root(), runDir));
        this.starter = new SessionStarter(this.config, runDir, hostPath, commands);
        this.processes = new SessionProcesses(time, new ProcessGroups(HostTools.which("kill", hostPath)));
        this.containers = new ContainerRuntime(this.config.containers(), hostPath);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void onChange(Consumer<String> sessionId) {
        starter.onExit(sessionId);
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
        return blocking.call(() -> run(session).wasStarted() ? session.sessionId() : null);
    }

    @Override
    public Uni<Observation> observe(SessionRef session) {
        return blocking.call(() -> processes.look(run(session)));
    }

    @Override
    public Uni<Void> terminate(SessionRef session) {
        return blocking.call(() -> {
            processes.signal(run(session), false);
            return null;
        });
    }

    @Override
    public Uni<Void> kill(SessionRef session) {
        return blocking.call(() -> {
            containers.remove(run(session));
            processes.signal(run(session), true);
            return null;
        });
    }

    @Override
    public Uni<Instant> renew(SessionRef session) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Uni<SessionLog> logs(SessionRef session, long offset) {
        Path log = run(session).file(Supervisor.OUTPUT);
        return Uni.createFrom().item(Files.exists(log) ? new SessionLog.LocalFile(log, offset) : new SessionLog.Text(""));
    }

    @Override
    public Uni<Feasibility> feasibility(CanfarQuoteRequest request) {
        return blocking.call(() -> {
            try {
                commands.checkSize(request.cores(), request.ram());
                if (request.kind() == SessionKind.notebook) {
                    commands.jupyter();
                }
                if (request.kind() == SessionKind.container) {
                    containers.checkRunnable(request.image());
                }
                return fence.problem().map(Feasibility::no).orElseGet(Feasibility::yes);
            } catch (ProblemException refused) {
                return Feasibility.no(refused.getMessage());
            }
        });
    }

    /**
     * Checks the launch, builds the command line, and starts it unless an earlier attempt did: the
     * session folder is resolved and the command found (or the container's image) before anything is
     * written, so a refusal leaves no trace. A container session is fenced by podman (its account,
     * its folder as /session, nothing else of this machine) rather than by bubblewrap.
     */
    private String start(LaunchSpec spec) throws IOException {
        Path folder = folders.resolve(spec.workdir());
        commands.checkRunnable(spec);
        boolean container = spec.kind() == SessionKind.container;
        if (container) {
            containers.checkRunnable(spec.image());
            ContainerRuntime.checkMounts(spec, folder);
        }
        Map<String, String> env = container ? containers.sessionEnvironment(spec) : commands.environment(spec, folder);
        List<String> command = container ? List.of() : commands.command(spec, folder);
        RunFolder run = RunFolder.of(runDir, spec.sessionId());
        if (run.wasStarted()) {
            LOG.infof("session %s was already started; not starting it twice", spec.sessionId());
            return spec.sessionId();
        }
        SessionFence.Fence fenced = fence.resolve();
        fence.prepare(fenced, folder);
        run.create();
        if (container) {
            command = containers.command(spec, run, folder, fenced.runsAs(), env);
            starter.start(spec.sessionId(), run, folder, containers.environment(), commands.inOwnGroup(command));
        } else {
            starter.start(spec.sessionId(), run, folder, env, commands.limited(spec, fence.wrap(fenced, folder, command)));
        }
        LOG.infof("started local session %s in %s as %s%s: %s", spec.sessionId(), folder, fenced.runsAs().name(),
                container ? ", in a container" : fenced.bwrap().isPresent() ? ", sandboxed" : "", command);
        return spec.sessionId();
    }

    private RunFolder run(SessionRef session) {
        return RunFolder.of(runDir, session.sessionId());
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
        checkoutHolding(workingDir).ifPresent(hidden::add);
        hidden.add(Path.of(System.getProperty("user.home", "/")));
        hidden.addAll(Sandbox.SCRATCH);
        hidden.addAll(List.of(Path.of("/run/secrets"), Path.of("/var/run/secrets")));
        return hidden;
    }

    /** The git checkout {@code dir} lies in, if any. */
    private static Optional<Path> checkoutHolding(Path dir) {
        for (Path step = dir; step != null && step.getParent() != null; step = step.getParent()) {
            if (Files.exists(step.resolve(".git"))) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }
}
