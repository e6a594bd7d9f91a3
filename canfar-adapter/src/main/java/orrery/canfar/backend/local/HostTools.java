package orrery.canfar.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What this machine offers local sessions: programs on the PATH, processors and memory. */
final class HostTools {

    private HostTools() {
    }

    /** {@code name} resolved against {@code path} (a PATH value), or empty when it is not installed. */
    static Optional<Path> which(String name, String path) {
        if (name.contains("/")) {
            Path file = Path.of(name);
            return Files.isRegularFile(file) && Files.isExecutable(file) ? Optional.of(file) : Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Total memory in whole GB from /proc/meminfo, or empty where that cannot be read. */
    static Optional<Long> memoryGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    List<String> parts = List.of(line.trim().split("\\s+"));
                    long kib = Long.parseLong(parts.get(1));
                    return Optional.of(kib / (1024L * 1024L));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The java launcher of the JVM this adapter runs on, or empty (a native executable). */
    static Optional<Path> currentJava() {
        return ProcessHandle.current().info().command().map(Path::of)
                .filter(p -> p.getFileName().toString().equals("java") && Files.isExecutable(p));
    }
}
