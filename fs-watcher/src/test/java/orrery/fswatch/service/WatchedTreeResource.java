package orrery.fswatch.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import orrery.testsupport.Processes;

/** A temporary base folder, the only one roots may lie in during a test; deleted afterwards. */
public class WatchedTreeResource implements QuarkusTestResourceLifecycleManager {

    private Path base;

    @Override
    public Map<String, String> start() {
        try {
            base = Files.createTempDirectory("orrery-fswatch-").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("orrery.fswatch.allowed-bases", base.toString(),
                "orrery.fswatch.retry-delay", "PT0.5S");
    }

    @Override
    public void stop() {
        if (base != null) {
            Processes.deleteTree(base);
        }
    }
}
