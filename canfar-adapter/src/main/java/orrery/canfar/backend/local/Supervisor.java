package orrery.canfar.backend.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs one local session's command and writes down how it ended, in a JVM of its own.
 *
 * <p>Started (in its own session, through {@code setsid}) as
 * {@code java -cp <dir> orrery.canfar.backend.local.Supervisor <run dir> <session folder> -- <command...>}.
 * It starts the command in the session folder with the environment the adapter left in
 * {@code <run dir>/env} (then deletes that file), output appended to {@code output.log}, records the
 * command's pid and start time in {@code pid}, waits, and writes the exit status to {@code exit}.
 * Because it outlives the adapter, a restarted adapter still learns how a session ended.
 *
 * <p>It uses nothing but the JDK and is a single class, so the adapter can copy its bytes out of
 * its own jar and run it with the JVM it runs on.
 */
public final class Supervisor {

    /** The command's output (stdout and stderr). */
    public static final String OUTPUT = "output.log";
    /** The command's environment, {@code NAME=value} entries separated by NUL; deleted once read. */
    public static final String ENV = "env";
    /** {@code <pid> <start time in epoch milliseconds>} of the command, once started. */
    public static final String PID = "pid";
    /** The command's exit status (128 + N when killed by signal N), once it ended. */
    public static final String EXIT = "exit";
    /** Why the command could not be started, if it could not. */
    public static final String ERROR = "error";

    private Supervisor() {
    }

    /** Writes the environment file the supervisor reads (readable by the owner only). */
    public static void writeEnv(Path runDir, Map<String, String> env) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> entry : env.entrySet()) {
            text.append(entry.getKey()).append('=').append(entry.getValue()).append('\0');
        }
        Path file = runDir.resolve(ENV);
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static Map<String, String> readEnv(Path runDir) throws IOException {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        Path file = runDir.resolve(ENV);
        if (!Files.exists(file)) {
            return env;
        }
        for (String entry : Files.readString(file, StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                env.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return env;
    }

    public static void main(String[] args) throws Exception {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator != 2 || args.length < 4) {
            System.err.println("usage: Supervisor <run dir> <session folder> -- <command> [args...]");
            System.exit(2);
        }
        Path runDir = Path.of(args[0]);
        List<String> command = Arrays.asList(args).subList(3, args.length);
        ProcessBuilder builder = builder(runDir, new File(args[1]), command);
        Process process;
        try {
            // Started from the main thread, which waits below: a sandbox's --die-with-parent follows this thread.
            process = builder.start();
        } catch (IOException e) {
            write(runDir, ERROR, "cannot start " + command.get(0) + ": " + e.getMessage());
            write(runDir, EXIT, "127");
            return;
        }
        stopWithMe(process);
        long started = process.info().startInstant().map(i -> i.toEpochMilli()).orElse(-1L);
        write(runDir, PID, process.pid() + " " + started);
        int status = process.waitFor();
        write(runDir, EXIT, Integer.toString(status));
    }

    /** The command in the session folder with the environment file's variables (the file is deleted once read). */
    private static ProcessBuilder builder(Path runDir, File folder, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve(OUTPUT).toFile()))
                .redirectInput(new File("/dev/null"));
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(readEnv(runDir));
        Files.deleteIfExists(runDir.resolve(ENV));
        return builder;
    }

    /** Stopped before the command ended (a delete that came before the pid was recorded): take the command along. */
    private static void stopWithMe(Process running) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (running.isAlive()) {
                running.descendants().forEach(ProcessHandle::destroy);
                running.destroy();
            }
        }, "session-stop"));
    }

    private static void write(Path runDir, String name, String text) throws IOException {
        Path temporary = runDir.resolve(name + ".tmp");
        Files.writeString(temporary, text + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, runDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
