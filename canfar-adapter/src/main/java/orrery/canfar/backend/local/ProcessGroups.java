package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Signals a session's whole process group (its leader was started with {@code setsid}, so the
 * group id is the leader's pid). Uses {@code kill -s SIG -- -PGID}; where no {@code kill} program
 * is installed, or there is no such group yet (a sandbox records its pid before it has called
 * {@code setsid}: a stop in that moment found no group and the session ran on), it falls back to
 * the leader and the descendants Java can still see.
 */
final class ProcessGroups {

    private static final Logger LOG = Logger.getLogger(ProcessGroups.class);

    private final Optional<Path> kill;

    ProcessGroups(Optional<Path> kill) {
        this.kill = kill;
    }

    void terminate(long groupId) {
        signal(groupId, "TERM");
    }

    void kill(long groupId) {
        signal(groupId, "KILL");
    }

    private void signal(long groupId, String signal) {
        if (groupId <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + groupId);
        }
        if (kill.isEmpty() || !signalGroup(kill.get(), groupId, signal)) {
            signalVisible(groupId, signal);
        }
    }

    /** {@code kill -s SIG -- -PGID}; false when it could not be run (the caller falls back). */
    private static boolean signalGroup(Path kill, long groupId, String signal) {
        try {
            Process process = new ProcessBuilder(kill.toString(), "-s", signal, "--", "-" + groupId)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (process.isAlive()) {
                LOG.debugf("SIG%s to process group %d: kill is late", signal, groupId);
                return true;
            }
            LOG.debugf("SIG%s to process group %d: kill exited %d", signal, groupId, process.exitValue());
            return process.exitValue() == 0; // 1: no such group (not a leader yet, or gone): signal what we see
        } catch (IOException e) {
            LOG.warnf("cannot run %s (%s); signalling the processes Java can see", kill, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** The group's leader and the descendants Java can still see. */
    private static void signalVisible(long groupId, String signal) {
        ProcessHandle.of(groupId).ifPresent(leader -> {
            List<ProcessHandle> all = Stream.concat(Stream.of(leader), leader.descendants()).toList();
            all.forEach(handle -> {
                if ("KILL".equals(signal)) {
                    handle.destroyForcibly();
                } else {
                    handle.destroy();
                }
            });
        });
    }
}
