package orrery.deps.shell;

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
        Path output = null;
        Path staged = null;
        try {
            output = Files.createTempFile("orrery-build-", ".log");
            if (stdoutTo != null) {
                staged = stagingFile(stdoutTo);
            }
            List<String> resolved = new java.util.ArrayList<>(args);
            String program = args.get(0);
            if (!program.contains("/")) {
                Path found = onPath(program, environment.getOrDefault("PATH", ""));
                if (found == null) {
                    return new Run(-1, "", "cannot start " + program + ": not found on PATH "
                            + environment.getOrDefault("PATH", "(empty)"));
                }
                resolved.set(0, found.toString());
            }
            ProcessBuilder builder = new ProcessBuilder(resolved).directory(folder.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            if (staged == null) {
                builder.redirectErrorStream(true).redirectOutput(output.toFile());
            } else {
                builder.redirectOutput(staged.toFile()).redirectError(output.toFile());
            }
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Run(-1, "", "cannot start " + args.get(0) + ": " + e.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new Run(-1, tail(output, logLimit), "timed out after " + timeout);
            }
            int exit = process.exitValue();
            String log = tail(output, logLimit);
            if (exit == 0 && staged != null) {
                try {
                    Files.move(staged, stdoutTo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    return new Run(-1, log, "cannot write the standard output of " + args.get(0) + " to "
                            + stdoutTo.getFileName() + ": " + e.getMessage());
                }
            }
            return new Run(exit, log, exit == 0 ? null : args.get(0) + " exited with status " + exit);
        } catch (IOException e) {
            return new Run(-1, "", "cannot run " + args.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "", "interrupted");
        } finally {
            deleteQuietly(staged);
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
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
                Files.deleteIfExists(file); // gone already once renamed over the target
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
