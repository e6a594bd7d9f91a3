package orrery.staging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import orrery.testsupport.FileServer;
import orrery.testsupport.Processes;

/**
 * A storage root in a temporary folder and a real HTTP source serving files from another, for
 * the staging service's Quarkus tests. Retries and leases are short so that failure paths finish
 * quickly.
 */
public class StagingTestResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FileServer server;
    private static volatile Path storage;
    private Path dir;

    public static FileServer server() {
        return server;
    }

    public static Path storage() {
        return storage;
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("orrery-staging-test-");
            storage = Files.createDirectory(dir.resolve("storage"));
            Path served = Files.createDirectory(dir.resolve("served"));
            server = FileServer.start(served);
            return Map.ofEntries(
                    Map.entry("orrery.storage.root", storage.toString()),
                    // Loopback is allowed (the file server is on 127.0.0.1), as in the local profile; the listed
                    // addresses pass the allow-list so that tests reach the address policy, which refuses them.
                    Map.entry("orrery.staging.sources.http.allowed-hosts",
                            "127.0.0.1,localhost,169.254.169.254,10.20.30.40,::127.0.0.1,64:ff9b::a14:1e28"),
                    Map.entry("orrery.staging.sources.http.allow-loopback", "true"),
                    Map.entry("orrery.staging.sources.file.roots", served.toString()),
                    Map.entry("orrery.staging.retry.initial-backoff", "PT0.05S"),
                    Map.entry("orrery.staging.retry.max-attempts", "3"),
                    Map.entry("orrery.staging.progress-interval", "PT0.05S"),
                    Map.entry("orrery.staging.stall-timeout", "PT2S"),
                    Map.entry("orrery.staging.lease", "PT2S"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        Processes.deleteTree(dir);
    }
}
