package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What fences this machine can put around a local session, for tests to know what they may assert. */
public final class Fences {

    private static volatile Boolean sandbox;

    private Fences() {
    }

    /** Whether the tests (and so the adapter they start) run as root, which switches sessions to another account. */
    public static boolean adapterIsRoot() {
        return new HostAccounts(System.getenv("PATH")).adapterUid() == 0;
    }

    /** Whether bubblewrap is installed and makes a sandbox here, as the adapter's probe asks. */
    public static synchronized boolean sandboxWorks() {
        if (sandbox == null) {
            sandbox = probe();
        }
        return sandbox;
    }

    private static boolean probe() {
        Path bwrap = HostTools.which("bwrap", System.getenv("PATH")).orElse(null);
        Path truth = HostTools.which("true", System.getenv("PATH")).orElse(null);
        if (bwrap == null || truth == null) {
            return false;
        }
        try {
            Process process = new ProcessBuilder(Sandbox.probe(bwrap, truth)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
