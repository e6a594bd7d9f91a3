package orrery.deps.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real fs-watcher, run from its built jar as a separate process, watching one root. */
final class FsWatcherProcess implements AutoCloseable {

    static final Path JAR = Path.of("..", "fs-watcher", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();

    private final Process process;
    private final Path log;

    private FsWatcherProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static FsWatcherProcess start(String natsUrl, String root, Path folder) {
        if (!Files.isRegularFile(JAR)) {
            // The root build packages the fs-watcher before this module (it comes first in the module list).
            throw new IllegalStateException(JAR + " is missing: build the fs-watcher first (mvn -pl fs-watcher package)");
        }
        try {
            Path log = Files.createTempFile("orrery-fs-watcher-", ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(List.of(java, "-Xmx256m",
                    "-Dorrery.nats.url=" + natsUrl,
                    "-Dquarkus.http.port=0",
                    "-Dorrery.fswatch.allowed-bases=" + folder.getParent(),
                    "-Dorrery.fswatch.roots." + root + ".path=" + folder,
                    "-Dorrery.fswatch.quiet-period=PT0.2S",
                    "-jar", JAR.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new FsWatcherProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fs-watcher", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        orrery.testsupport.Processes.stop(process, java.time.Duration.ofSeconds(20));
    }
}
