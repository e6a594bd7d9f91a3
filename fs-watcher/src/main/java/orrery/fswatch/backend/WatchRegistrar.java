package orrery.fswatch.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/** Registers one folder with a watch service; the seam where a test meets the kernel's watch limit. */
@FunctionalInterface
public interface WatchRegistrar {

    /** The JDK's registration: on Linux one inotify watch per folder. */
    WatchRegistrar JDK = (folder, service) -> folder.register(service, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);

    WatchKey register(Path folder, WatchService service) throws IOException;
}
