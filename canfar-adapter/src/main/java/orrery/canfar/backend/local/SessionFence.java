package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import orrery.canfar.backend.local.HostAccounts.Account;
import orrery.canfar.config.CanfarConfig;
import orrery.canfar.domain.Refusals;
import orrery.model.problem.ProblemException;

/**
 * What keeps a local session away from the suite: the account it runs under (never the adapter's,
 * unless {@code isolation=none}), and, where bubblewrap works, a sandbox that hides the suite's files
 * and every other session folder. Which of them apply is settled per launch, so an account created or
 * a package installed after the adapter started counts at the next launch; a launch that cannot be
 * fenced as configured is refused with what to set up.
 */
class SessionFence {

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
    private final HostProbes probes;
    private volatile Account cachedAccount;

    SessionFence(CanfarConfig.Local config, HostAccounts accounts, String hostPath, Set<Path> alwaysHidden) {
        this.config = config;
        this.accounts = accounts;
        this.alwaysHidden = alwaysHidden;
        this.setpriv = HostTools.which("setpriv", hostPath);
        this.bwrap = HostTools.which("bwrap", hostPath);
        this.env = HostTools.which("env", hostPath);
        this.probes = new HostProbes(bwrap, env, hostPath);
    }

    /** How the next session is fenced, or a refusal saying what to set up. */
    Fence resolve() throws IOException {
        Fence accountOnly = config.isolation() == CanfarConfig.Isolation.none ? asTheAdapter() : asTheSessionAccount();
        return new Fence(accountOnly.switchTo(), accountOnly.runsAs(), sandbox());
    }

    /** The session's command behind the fence: the sandbox, then the account switch, then the command. */
    List<String> wrap(Fence fence, Path folder, List<String> command) {
        List<String> argv = new ArrayList<>();
        fence.bwrap().ifPresent(program -> argv.addAll(sandboxed(program, fence.runsAs(), folder)));
        fence.switchTo().ifPresent(account -> argv.addAll(switchingTo(account)));
        argv.addAll(command);
        return argv;
    }

    /** Hands the session folder to the session account, when the adapter switches accounts. */
    void prepare(Fence fence, Path folder) throws IOException {
        if (fence.switchTo().isPresent()) {
            FolderHandover.give(folder, fence.switchTo().get());
        }
    }

    /** The folders and files the sandbox hides: the configured ones and those always hidden, as real paths. */
    Set<Path> hidden() {
        Set<Path> all = new LinkedHashSet<>(alwaysHidden);
        // Path.of(" x") is no path anyone meant: a list written with spaces after its commas.
        config.hide().ifPresent(list -> list.stream().filter(Objects::nonNull).map(path -> path.toString().strip())
                .filter(s -> !s.isEmpty())
                .map(Path::of).forEach(all::add));
        Set<Path> real = new LinkedHashSet<>();
        for (Path path : all) {
            realPath(path).filter(resolved -> resolved.getParent() != null).ifPresent(real::add);
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

    /** {@code isolation=none}: the session runs as the adapter does. */
    private Fence asTheAdapter() {
        Account adapter = new Account(System.getProperty("user.name", "?"), accounts.adapterUid(), -1);
        return new Fence(Optional.empty(), adapter, Optional.empty());
    }

    /**
     * {@code isolation=account}: an adapter running as the session account runs sessions as it is, a root
     * adapter drops to it, and any other adapter cannot fence sessions off.
     */
    private Fence asTheSessionAccount() throws IOException {
        long adapterUid = accounts.adapterUid();
        Account session = sessionAccount();
        if (session.isRoot()) {
            throw Refusals.unsupported("the session account '" + config.sessionUser() + "' is root; local sessions "
                    + "must run under an unprivileged account (orrery.canfar.local.session-user)");
        }
        if (adapterUid == session.uid()) {
            return new Fence(Optional.empty(), session, Optional.empty());
        }
        if (adapterUid != 0) {
            throw cannotSwitch(adapterUid, session);
        }
        if (setpriv.isEmpty()) {
            throw Refusals.unsupported("the adapter runs as root and drops to '" + session.name() + "' for each "
                    + "local session with setpriv, which is not installed: install util-linux");
        }
        return new Fence(Optional.of(session), session, Optional.empty());
    }

    private static ProblemException cannotSwitch(long adapterUid, Account session) {
        return Refusals.unsupported("local sessions run under the account '" + session.name() + "', never the "
                + "suite's own, and this adapter runs as uid " + adapterUid + ", which cannot switch accounts: run "
                + "the adapter as root (it drops to '" + session.name() + "' for every session) or as '"
                + session.name() + "' itself, or, on a single-user laptop only, set "
                + "ORRERY_CANFAR_LOCAL_ISOLATION=none (orrery.canfar.local.isolation=none) to run sessions under "
                + "the adapter's own account; " + README);
    }

    private Account sessionAccount() throws IOException {
        Account known = cachedAccount;
        if (known != null) {
            return known;
        }
        Optional<Account> found = accounts.lookup(config.sessionUser(), config.sessionGroup());
        if (found.isEmpty()) {
            throw noSuchAccount();
        }
        cachedAccount = found.get();
        return found.get();
    }

    private ProblemException noSuchAccount() {
        String user = config.sessionUser();
        return Refusals.unsupported("local sessions run under the unprivileged account '" + user + "'"
                + config.sessionGroup().map(g -> " with group '" + g + "'").orElse("")
                + " (orrery.canfar.local.session-user), which does not exist on this machine; create it once with: "
                + "useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "
                + user + " (deploy/local/up.sh does when it runs as root); " + README);
    }

    /** The sandbox program, when the configuration asks for one and it works here. */
    private Optional<Path> sandbox() {
        CanfarConfig.Sandbox mode = config.sandbox();
        if (mode == CanfarConfig.Sandbox.none) {
            return Optional.empty();
        }
        if (probes.sandboxWorks()) {
            return bwrap;
        }
        if (mode == CanfarConfig.Sandbox.bwrap) {
            throw Refusals.unsupported("orrery.canfar.local.sandbox=bwrap, but " + probes.sandboxProblem() + "; install "
                    + "bubblewrap (apt-get install bubblewrap) where it can create namespaces, or set "
                    + "orrery.canfar.local.sandbox=auto; " + README);
        }
        return Optional.empty();
    }

    /**
     * The sandbox's arguments; bwrap itself shrugs off SIGTERM (where {@code env} can do that), so a TERM to the
     * session's group ends the command gracefully instead of killing bwrap, whose death would take the sandbox
     * down at once ({@code --die-with-parent}).
     */
    private List<String> sandboxed(Path program, Account runsAs, Path folder) {
        boolean signals = probes.envHandlesSignals();
        List<String> argv = new ArrayList<>();
        if (signals) {
            argv.addAll(List.of(env.get().toString(), "--ignore-signal=TERM"));
        }
        argv.addAll(Sandbox.arguments(program, folder, hidden(),
                dir -> Sandbox.traversable(dir, runsAs.uid(), runsAs.gid())));
        if (signals) {
            argv.addAll(List.of(env.get().toString(), "--default-signal=TERM"));
        }
        return argv;
    }

    /** setpriv down to {@code account}, with no way back to the adapter's privileges. */
    private List<String> switchingTo(Account account) {
        return List.of(setpriv.get().toString(), "--reuid=" + account.uid(), "--regid=" + account.gid(),
                "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--");
    }

    private static Optional<Path> realPath(Path path) {
        try {
            return Optional.of(path.toAbsolutePath().normalize().toRealPath());
        } catch (IOException | RuntimeException missing) {
            return Optional.empty(); // nothing there to hide
        }
    }
}
