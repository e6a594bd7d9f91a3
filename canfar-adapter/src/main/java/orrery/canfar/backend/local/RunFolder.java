package orrery.canfar.backend.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * One local session's run folder ({@code orrery.canfar.local.run-dir/<sessionId>/}): everything the
 * backend knows about the session, so a restarted adapter reads it back. The {@link Supervisor} writes
 * {@link Supervisor#PID}, {@link Supervisor#EXIT}, {@link Supervisor#ERROR} and {@link Supervisor#OUTPUT};
 * the adapter writes the supervisor's own pid and log (or, in direct mode, the command's pid and exit).
 */
record RunFolder(Path dir) {

    static final String SUPERVISOR_PID = "supervisor.pid";
    static final String SUPERVISOR_LOG = "supervisor.log";

    /** The run folder of {@code sessionId} under {@code runDir}; refuses an id that would lead elsewhere. */
    static RunFolder of(Path runDir, String sessionId) {
        Path run = runDir.resolve(sessionId).normalize();
        if (!run.getParent().equals(runDir)) {
            throw new IllegalArgumentException("not a session id: " + sessionId);
        }
        return new RunFolder(run);
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    /** Whether a launch got as far as starting something here (so it is never started twice). */
    boolean wasStarted() {
        return Files.exists(file(SUPERVISOR_PID)) || Files.exists(file(Supervisor.PID)) || Files.exists(file(Supervisor.EXIT));
    }

    /** Creates the folder, readable by the adapter's account only. */
    void create() throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** The command's pid and start time, or null before it started. */
    ProcessRecord command() {
        return ProcessRecord.read(file(Supervisor.PID));
    }

    /** The supervisor JVM's pid and start time, or null (direct mode, or not started yet). */
    ProcessRecord supervisor() {
        return ProcessRecord.read(file(SUPERVISOR_PID));
    }

    /** When the command's record was written, which is when it started. */
    Instant commandRecordedAt() throws IOException {
        return Files.getLastModifiedTime(file(Supervisor.PID)).toInstant();
    }

    /** The recorded exit status, or null while the command runs (or when the record is unreadable). */
    Integer exitStatus() throws IOException {
        String text = readText(Supervisor.EXIT);
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** When the exit status was recorded, if it was. */
    Optional<Instant> exitRecordedAt() throws IOException {
        Path exit = file(Supervisor.EXIT);
        return Files.exists(exit) ? Optional.of(Files.getLastModifiedTime(exit).toInstant()) : Optional.empty();
    }

    /** Why the command could not be started, or null. */
    String startError() throws IOException {
        return readText(Supervisor.ERROR);
    }

    /** The last 500 characters of the supervisor's own log ("" when there is none). */
    String supervisorLogTail() {
        try {
            String text = readText(SUPERVISOR_LOG);
            if (text == null) {
                return "";
            }
            return text.length() > 500 ? "…" + text.substring(text.length() - 500) : text;
        } catch (IOException e) {
            return "";
        }
    }

    /** Writes {@code <pid> <start millis>} of {@code process} into {@code name}. */
    void recordProcess(String name, Process process) throws IOException {
        long startMillis = process.toHandle().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        write(name, process.pid() + " " + startMillis);
    }

    /** Writes {@code text} (and a newline) into {@code name} at once: readers see the old file or the new one. */
    void write(String name, String text) throws IOException {
        Path file = file(name);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String readText(String name) throws IOException {
        Path file = file(name);
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
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
