package orrery.deps.backend.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command, without a shell, in a folder, and hashes what it left. Blocking: call it off the event loop.
 *
 * <p>The command gets exactly the environment it is given, nothing of this process's own (which holds
 * database passwords, NATS logins and tokens), and a command name without a slash is looked up on
 * that environment's {@code PATH}, not on the service's.
 */
public final class CommandRunner {

    /** How a command ended. {@code exitCode} is -1 when it could not start or ran out of time. */
    public record Run(int exitCode, String log, String failure) {
    }

    private CommandRunner() {
    }

    public static Run run(List<String> args, Path folder, Map<String, String> environment, Duration timeout,
                          int logLimit) {
        return run(args, folder, environment, timeout, logLimit, null);
    }

    /**
     * Runs the command; with {@code stdoutTo} set (a rule ending in {@code > $@}), its standard output
     * becomes that file, atomically: it is written to a temporary file beside it (a hidden
     * {@code .<name>.<random>.orrery.tmp}, which the fs-watcher leaves out like every {@code *.tmp}) that
     * is renamed over the target only when the command exits 0, so a failed or timed-out command leaves
     * the target as it was and no half-written file. The log is then the standard error alone.
     */
    public static Run run(List<String> args, Path folder, Map<String, String> environment, Duration timeout,
                          int logLimit, Path stdoutTo) {
        Path log = null;
        Path staged = null;
        try {
            log = Files.createTempFile("orrery-build-", ".log");
            staged = stdoutTo == null ? null : stagingFile(stdoutTo);
            String program = program(args.get(0), environment);
            if (program == null) {
                return new Run(-1, "", "cannot start " + args.get(0) + ": not found on PATH "
                        + environment.getOrDefault("PATH", "(empty)"));
            }
            Process process;
            try {
                process = processBuilder(args, program, folder, environment, log, staged).start();
            } catch (IOException e) {
                return new Run(-1, "", "cannot start " + args.get(0) + ": " + e.getMessage());
            }
            return awaitEnd(process, args.get(0), timeout, new Capture(log, logLimit, staged, stdoutTo));
        } catch (IOException e) {
            return new Run(-1, "", "cannot run " + args.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "", "interrupted");
        } finally {
            deleteQuietly(staged); // gone already once renamed over the target
            deleteQuietly(log);
        }
    }

    /** Where a command's output goes: the log (its end is kept), and the staged standard output and its target. */
    private record Capture(Path log, int logLimit, Path staged, Path target) {
    }

    /** The program to start: a name with a slash as it is, any other found on the command's {@code PATH}; null if not found. */
    private static String program(String name, Map<String, String> environment) {
        if (name.contains("/")) {
            return name;
        }
        Path found = onPath(name, environment.getOrDefault("PATH", ""));
        return found == null ? null : found.toString();
    }

    /** The command in {@code folder}, stdin from the null device, exactly {@code environment}, output to the log (or the stage). */
    private static ProcessBuilder processBuilder(List<String> args, String program, Path folder,
                                                 Map<String, String> environment, Path log, Path staged) {
        List<String> command = new ArrayList<>(args);
        command.set(0, program);
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        if (staged == null) {
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
        } else {
            builder.redirectOutput(staged.toFile()).redirectError(log.toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    /** Waits for the command (killing it and what it started when out of time), then puts its output in place. */
    private static Run awaitEnd(Process process, String name, Duration timeout, Capture capture)
            throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return new Run(-1, tail(capture.log(), capture.logLimit()), "timed out after " + timeout);
        }
        int exit = process.exitValue();
        String log = tail(capture.log(), capture.logLimit());
        if (exit == 0 && capture.staged() != null) {
            try {
                Files.move(capture.staged(), capture.target(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                return new Run(-1, log, "cannot write the standard output of " + name + " to "
                        + capture.target().getFileName() + ": " + e.getMessage());
            }
        }
        return new Run(exit, log, exit == 0 ? null : name + " exited with status " + exit);
    }

    /** A new, empty, hidden file beside {@code target}, readable by all like a file a shell's {@code >} makes. */
    private static Path stagingFile(Path target) throws IOException {
        String name = "." + target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".orrery.tmp";
        Path staged = target.resolveSibling(name);
        try {
            return Files.createFile(staged, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        } catch (UnsupportedOperationException e) {
            return Files.createFile(staged);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless (and left out by the fs-watcher)
            }
        }
    }

    /** The first executable file named {@code program} in the folders of {@code path}, or null. */
    static Path onPath(String program, String path) {
        for (String folder : path.split(":")) {
            if (!folder.startsWith("/")) {
                continue; // empty or relative entries would mean the working folder: the watched tree, which users write
            }
            Path candidate = Path.of(folder, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Streaming SHA-256 of a file, in lower-case hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // the digest stream hashes as it reads
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String tail(Path file, int limit) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - limit);
            byte[] bytes = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            return start > 0 ? "…" + text : text;
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
