package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import orrery.canfar.CanfarConfig;
import orrery.canfar.backend.local.HostAccounts.Account;
import orrery.canfar.domain.Refusals;
import orrery.model.problem.ProblemException;
import org.jboss.logging.Logger;

/**
 * What keeps a local session away from the suite: the account it runs under (never the adapter's,
 * unless {@code isolation=none}), and, where bubblewrap works, a sandbox that hides the suite's files
 * and every other session folder. Which of them apply is settled per launch, so an account created or
 * a package installed after the adapter started counts at the next launch; a launch that cannot be
 * fenced as configured is refused with what to set up.
 */
class SessionFence {

    private static final Logger LOG = Logger.getLogger(SessionFence.class);
    static final String README = "see canfar-adapter/README.md, \"Security\"";

    /**
     * How one session is fenced.
     *
     * @param switchTo the account to drop to (the adapter runs as root), or empty to run as the adapter does
     * @param runsAs the account the session's processes run as
     * @param bwrap the sandbox program, or empty to run without one
     */
    record Fence(Optional<Account> switchTo, Account runsAs, Optional<Path> bwrap) {
    }

    private final CanfarConfig.Local config;
    private final HostAccounts accounts;
    private final Set<Path> alwaysHidden;
    private final Optional<Path> setpriv;
    private final Optional<Path> bwrap;
    private final Optional<Path> env;
    private final Optional<Path> truth;
    private volatile Account cachedAccount;
    private volatile String sandboxProblem;
    private volatile Boolean sandboxWorks;
    private volatile Boolean envSignals;

    SessionFence(CanfarConfig.Local config, HostAccounts accounts, String hostPath, Set<Path> alwaysHidden) {
        this.config = config;
        this.accounts = accounts;
        this.alwaysHidden = alwaysHidden;
        this.setpriv = HostTools.which("setpriv", hostPath);
        this.bwrap = HostTools.which("bwrap", hostPath);
        this.env = HostTools.which("env", hostPath);
        this.truth = HostTools.which("true", hostPath);
    }

    /** How the next session is fenced, or a refusal saying what to set up. */
    Fence resolve() throws IOException {
        long adapterUid = accounts.adapterUid();
        Account adapter = new Account(System.getProperty("user.name", "?"), adapterUid, -1);
        Fence fence;
        if (config.isolation() == CanfarConfig.Isolation.none) {
            fence = new Fence(Optional.empty(), adapter, Optional.empty());
        } else {
            Account session = sessionAccount();
            if (session.isRoot()) {
                throw Refusals.unsupported("the session account '" + config.sessionUser() + "' is root; local sessions "
                        + "must run under an unprivileged account (orrery.canfar.local.session-user)");
            }
            if (adapterUid == session.uid()) {
                fence = new Fence(Optional.empty(), session, Optional.empty());
            } else if (adapterUid == 0) {
                if (setpriv.isEmpty()) {
                    throw Refusals.unsupported("the adapter runs as root and drops to '" + session.name() + "' for each "
                            + "local session with setpriv, which is not installed: install util-linux");
                }
                fence = new Fence(Optional.of(session), session, Optional.empty());
            } else {
                throw Refusals.unsupported("local sessions run under the account '" + session.name() + "', never the "
                        + "suite's own, and this adapter runs as uid " + adapterUid + ", which cannot switch accounts: run "
                        + "the adapter as root (it drops to '" + session.name() + "' for every session) or as '"
                        + session.name() + "' itself, or, on a single-user laptop only, set "
                        + "ORRERY_CANFAR_LOCAL_ISOLATION=none (orrery.canfar.local.isolation=none) to run sessions under "
                        + "the adapter's own account; " + README);
            }
        }
        return new Fence(fence.switchTo(), fence.runsAs(), sandbox());
    }

    /** The session's command behind the fence: the sandbox, then the account switch, then the command. */
    List<String> wrap(Fence fence, Path folder, List<String> command) {
        List<String> argv = new ArrayList<>();
        boolean signals = fence.bwrap().isPresent() && envHandlesSignals();
        if (fence.bwrap().isPresent()) {
            if (signals) {
                // bwrap itself shrugs off SIGTERM, so a TERM to the session's group ends the command gracefully
                // instead of killing bwrap, whose death would take the sandbox down at once (--die-with-parent).
                argv.addAll(List.of(env.get().toString(), "--ignore-signal=TERM"));
            }
            argv.addAll(Sandbox.arguments(fence.bwrap().get(), folder, hidden(),
                    dir -> Sandbox.traversable(dir, fence.runsAs().uid(), fence.runsAs().gid())));
            if (signals) {
                argv.addAll(List.of(env.get().toString(), "--default-signal=TERM"));
            }
        }
        fence.switchTo().ifPresent(account -> argv.addAll(List.of(setpriv.get().toString(),
                "--reuid=" + account.uid(), "--regid=" + account.gid(), "--clear-groups", "--no-new-privs",
                "--inh-caps=-all", "--bounding-set=-all", "--")));
        argv.addAll(command);
        return argv;
    }

    /**
     * Hands the session folder to the session account (when the adapter switches accounts): the folder
     * and what is in it, without following symbolic links and leaving files with several links alone.
     */
    void prepare(Fence fence, Path folder) throws IOException {
        if (fence.switchTo().isEmpty()) {
            return;
        }
        Account account = fence.switchTo().get();
        UserPrincipalLookupService lookup = folder.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(Long.toString(account.uid()));
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(Long.toString(account.gid()));
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                give(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && ((Number) Files.getAttribute(file, "unix:nlink",
                        LinkOption.NOFOLLOW_LINKS)).intValue() == 1) {
                    give(file);
                }
                return FileVisitResult.CONTINUE;
            }

            private void give(Path path) throws IOException {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                view.setOwner(user);
                view.setGroup(group);
            }
        });
    }

    /** The folders and files the sandbox hides: the configured ones and those always hidden, as real paths. */
    Set<Path> hidden() {
        Set<Path> all = new LinkedHashSet<>(alwaysHidden);
        config.hide().ifPresent(list -> list.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(Path::of).forEach(all::add));
        Set<Path> real = new LinkedHashSet<>();
        for (Path path : all) {
            try {
                Path resolved = path.toAbsolutePath().normalize().toRealPath();
                if (resolved.getParent() != null) {
                    real.add(resolved);
                }
            } catch (IOException | RuntimeException missing) {
                // nothing there to hide
            }
        }
        return real;
    }

    /** Whether launches can be fenced as configured right now; the reason when not. */
    Optional<String> problem() {
        try {
            resolve();
            return Optional.empty();
        } catch (ProblemException refused) {
            return Optional.of(refused.getMessage());
        } catch (IOException e) {
            return Optional.of("cannot check the session account: " + e.getMessage());
        }
    }

    private Account sessionAccount() throws IOException {
        Account known = cachedAccount;
        if (known != null) {
            return known;
        }
        Optional<Account> found = accounts.lookup(config.sessionUser(), config.sessionGroup());
        if (found.isEmpty()) {
            String user = config.sessionUser();
            throw Refusals.unsupported("local sessions run under the unprivileged account '" + user + "'"
                    + config.sessionGroup().map(g -> " with group '" + g + "'").orElse("")
                    + " (orrery.canfar.local.session-user), which does not exist on this machine; create it once with: "
                    + "useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "
                    + user + " (deploy/local/up.sh does when it runs as root); " + README);
        }
        cachedAccount = found.get();
        return found.get();
    }

    /** The sandbox program, when the configuration asks for one and it works here. */
    private Optional<Path> sandbox() {
        CanfarConfig.Sandbox mode = config.sandbox();
        if (mode == CanfarConfig.Sandbox.none) {
            return Optional.empty();
        }
        if (sandboxWorks()) {
            return bwrap;
        }
        if (mode == CanfarConfig.Sandbox.bwrap) {
            throw Refusals.unsupported("orrery.canfar.local.sandbox=bwrap, but " + sandboxProblem + "; install "
                    + "bubblewrap (apt-get install bubblewrap) where it can create namespaces, or set "
                    + "orrery.canfar.local.sandbox=auto; " + README);
        }
        return Optional.empty();
    }

    private synchronized boolean sandboxWorks() {
        if (sandboxWorks != null) {
            return sandboxWorks;
        }
        if (bwrap.isEmpty() || truth.isEmpty()) {
            sandboxProblem = "bwrap is not installed";
            LOG.warn("bubblewrap (bwrap) is not installed: local sessions run without a sandbox, so they can read "
                    + "whatever their account may read (apt-get install bubblewrap); " + README);
            sandboxWorks = false;
            return false;
        }
        String output = run(Sandbox.probe(bwrap.get(), truth.get()));
        sandboxWorks = output == null;
        if (output != null) {
            sandboxProblem = "bwrap cannot make a sandbox here (" + output + ")";
            LOG.warnf("%s: local sessions run without a sandbox; %s", sandboxProblem, README);
        }
        return sandboxWorks;
    }

    private synchronized boolean envHandlesSignals() {
        if (envSignals == null) {
            envSignals = env.isPresent() && truth.isPresent()
                    && run(List.of(env.get().toString(), "--ignore-signal=TERM", "--default-signal=TERM",
                    truth.get().toString())) == null;
            if (!envSignals) {
                LOG.warn("env cannot ignore signals (coreutils 8.31 or later does): a SIGTERM to a sandboxed session "
                        + "ends its sandbox at once");
            }
        }
        return envSignals;
    }

    /** Runs a probe; null when it exits 0, else what it printed (or why it could not run). */
    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = process.getInputStream().readNBytes(2000);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "it did not finish within 10 s";
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 ? null : "exit " + process.exitValue() + (text.isEmpty() ? "" : ": " + text);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
