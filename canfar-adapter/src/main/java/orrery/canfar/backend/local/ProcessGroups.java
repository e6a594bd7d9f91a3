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
 * is installed, or there is no such group yet while the leader is alive (a sandbox records its pid
 * before it has called {@code setsid}: a stop in that moment found no group and the session ran
 * on), it falls back to the leader and the descendants Java can still see.
 */
final class ProcessGroups {

    private static final Logger LOG = Logger.getLogger(ProcessGroups.class);

    private final Optional<Path> kill;

    ProcessGroups(Optional<Path> kill) {
        this.kill = kill;
    }

    /**
     * SIGTERM to the group; {@code leaderAlive}: the leader was seen alive as the recorded process (its
     * start time matches), so that when no group answers, the pid itself may be signalled without
     * hitting a process that got a recycled pid.
     */
    void terminate(long groupId, boolean leaderAlive) {
        signal(groupId, "TERM", leaderAlive);
    }

    void kill(long groupId, boolean leaderAlive) {
        signal(groupId, "KILL", leaderAlive);
    }

    private void signal(long groupId, String signal, boolean leaderAlive) {
        if (groupId <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + groupId);
        }
        if (kill.isEmpty()) {
            signalVisible(groupId, signal);
            return;
        }
        GroupSignal sent = signalGroup(kill.get(), groupId, signal);
        if (sent == GroupSignal.CANNOT_RUN_KILL || sent == GroupSignal.NO_SUCH_GROUP && leaderAlive) {
            signalVisible(groupId, signal);
        }
    }

    private enum GroupSignal { SENT, NO_SUCH_GROUP, CANNOT_RUN_KILL }

    /** {@code kill -s SIG -- -PGID}. */
    private static GroupSignal signalGroup(Path kill, long groupId, String signal) {
        try {
            Process process = new ProcessBuilder(kill.toString(), "-s", signal, "--", "-" + groupId)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (process.isAlive()) {
                LOG.debugf("SIG%s to process group %d: kill is late", signal, groupId);
                return GroupSignal.SENT;
            }
            LOG.debugf("SIG%s to process group %d: kill exited %d", signal, groupId, process.exitValue());
            return process.exitValue() == 0 ? GroupSignal.SENT : GroupSignal.NO_SUCH_GROUP;
        } catch (IOException e) {
            LOG.warnf("cannot run %s (%s); signalling the processes Java can see", kill, e.getMessage());
            return GroupSignal.CANNOT_RUN_KILL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GroupSignal.SENT;
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
