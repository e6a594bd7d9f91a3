package orrery.fswatch.backend;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * The JDK's registration, except that a folder called {@value #LIMIT_FOLDER} fails the way Linux
 * does when {@code fs.inotify.max_user_watches} is used up (the JDK's own message for ENOSPC),
 * since a test cannot exhaust the machine's real limit.
 */
@Singleton
public class LimitedWatchRegistrar implements WatchRegistrar {

    public static final String LIMIT_FOLDER = "inotify-limit-reached";

    @Override
    public WatchKey register(Path folder, WatchService service) throws IOException {
        if (folder.getFileName() != null && folder.getFileName().toString().equals(LIMIT_FOLDER)) {
            throw new IOException("User limit of inotify watches reached");
        }
        return JDK.register(folder, service);
    }
}
