package orrery.canfar.backend.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What the fence's programs can do on this machine, each asked once with a trial run: whether
 * bubblewrap makes a sandbox here (it needs namespaces), and whether {@code env} can ignore and
 * restore signals (coreutils 8.31 or later).
 */
final class HostProbes {

    private static final Logger LOG = Logger.getLogger(HostProbes.class);

    private final Optional<Path> bwrap;
    private final Optional<Path> env;
    private final Optional<Path> truth;
    private Boolean sandboxWorks;
    private String sandboxProblem;
    private Boolean envSignals;

    HostProbes(Optional<Path> bwrap, Optional<Path> env, String hostPath) {
        this.bwrap = bwrap;
        this.env = env;
        this.truth = HostTools.which("true", hostPath);
    }

    /** Whether bwrap is installed and makes a sandbox here. */
    synchronized boolean sandboxWorks() {
        if (sandboxWorks == null) {
            sandboxProblem = bwrap.isPresent() && truth.isPresent() ? trialSandbox(bwrap.get(), truth.get())
                    : missingSandbox();
            sandboxWorks = sandboxProblem == null;
        }
        return sandboxWorks;
    }

    /** Why there is no sandbox, once {@link #sandboxWorks()} said so. */
    synchronized String sandboxProblem() {
        return sandboxProblem;
    }

    /** Whether {@code env --ignore-signal=TERM} and {@code --default-signal=TERM} work. */
    synchronized boolean envHandlesSignals() {
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

    private static String missingSandbox() {
        LOG.warn("bubblewrap (bwrap) is not installed: local sessions run without a sandbox, so they can read "
                + "whatever their account may read (apt-get install bubblewrap); " + SessionFence.README);
        return "bwrap is not installed";
    }

    /** Null when a minimal sandbox runs, else why it does not. */
    private static String trialSandbox(Path bwrap, Path truth) {
        String output = run(Sandbox.probe(bwrap, truth));
        if (output == null) {
            return null;
        }
        String problem = "bwrap cannot make a sandbox here (" + output + ")";
        LOG.warnf("%s: local sessions run without a sandbox; %s", problem, SessionFence.README);
        return problem;
    }

    /** Runs a probe; null when it exits 0, else what it printed (or why it could not run). */
    private static String run(List<String> command) {
        return run(command, null);
    }

    /**
     * Runs a probe with only {@code env} for its environment (the adapter's own when null); null when it exits 0, else
     * what it printed (or why it could not run).
     */
    static String run(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (env != null) {
                builder.environment().clear();
                builder.environment().putAll(env);
            }
            Process process = builder.start();
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
