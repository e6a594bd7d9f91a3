package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import orrery.canfar.backend.local.RunFolder.ProcessRecord;
import orrery.canfar.domain.ExitStatus;
import orrery.canfar.domain.Observation;
import orrery.model.canfar.SessionStatus;
import orrery.model.time.TimeSource;

/**
 * Reads how a local session stands from its run folder and the processes it names, and signals its
 * process group. A recorded pid counts only while the process with that pid started when the record
 * says (pids are reused), and a group whose leader ended long ago is left alone.
 */
final class SessionProcesses {

    /** A group whose leader ended longer ago than this is not signalled: its id may belong to someone else by now. */
    private static final Duration GROUP_REUSE_GUARD = Duration.ofMinutes(5);
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    private final TimeSource time;
    private final ProcessGroups groups;

    SessionProcesses(TimeSource time, ProcessGroups groups) {
        this.time = time;
        this.groups = groups;
    }

    /** The session as its run folder and its processes show it now. */
    Observation look(RunFolder run) throws IOException {
        if (!run.exists()) {
            return Observation.gone("the adapter has no record of this local session");
        }
        // The supervisor's liveness first, then its files: it writes the pid and the exit before it
        // ends, so a supervisor seen ended has left its last word. (Read the other way round, a short
        // command could finish between the reads and look like a supervisor that never started it.)
        boolean supervising = isAlive(run.supervisor());
        ProcessRecord command = run.command();
        Instant started = command == null ? null : startOf(run, command);
        Integer exit = run.exitStatus();
        if (exit != null) {
            return ended(run, started, exit);
        }
        if (command != null) {
            return isAlive(command) || supervising ? running(started) : endedUnrecorded(started);
        }
        return supervising ? Observation.of(SessionStatus.Pending) : supervisorGaveUp(run);
    }

    /**
     * SIGTERM ({@code kill} false) or SIGKILL to the session's process group; before the command started,
     * to the supervisor, which takes the command along.
     */
    void signal(RunFolder run, boolean kill) throws IOException {
        ProcessRecord command = run.command();
        if (command == null) {
            signalSupervisor(run.supervisor(), kill);
            return;
        }
        boolean alive = isAlive(command);
        if (alive || !endedLongAgo(run)) {
            if (kill) {
                groups.kill(command.pid(), alive);
            } else {
                groups.terminate(command.pid(), alive);
            }
        }
    }

    private static Instant startOf(RunFolder run, ProcessRecord command) throws IOException {
        // A command that ended at once has no start time left to read; the record was written as it started.
        return command.start() != null ? command.start() : run.commandRecordedAt();
    }

    private static Observation ended(RunFolder run, Instant started, int exit) throws IOException {
        String error = run.startError();
        SessionStatus status = exit == 0 ? SessionStatus.Succeeded : SessionStatus.Failed;
        String message = ExitStatus.describe(exit) + (error == null ? "" : ": " + error);
        return new Observation(status, started, null, exit, message, null, false);
    }

    private static Observation running(Instant started) {
        return new Observation(SessionStatus.Running, started, null, null, null, null, false);
    }

    private static Observation endedUnrecorded(Instant started) {
        return new Observation(SessionStatus.Failed, started, null, null, "the command ended but its exit status was "
                + "not recorded (the adapter or its supervisor was stopped while it ran)", null, false);
    }

    private static Observation supervisorGaveUp(RunFolder run) {
        String log = run.supervisorLogTail();
        return new Observation(SessionStatus.Failed, null, null, null,
                "the session's supervisor ended before starting the command" + (log.isEmpty() ? "" : ": " + log),
                null, false);
    }

    private void signalSupervisor(ProcessRecord supervisor, boolean kill) {
        if (isAlive(supervisor)) {
            ProcessHandle.of(supervisor.pid()).ifPresent(kill ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        }
    }

    private boolean endedLongAgo(RunFolder run) throws IOException {
        return run.exitRecordedAt().map(at -> at.plus(GROUP_REUSE_GUARD).isBefore(time.now())).orElse(false);
    }

    private static boolean isAlive(ProcessRecord record) {
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
}
