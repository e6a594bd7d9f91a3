package orrery.fswatch.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import orrery.fswatch.domain.WatchLimitException;

/**
 * The watched folders of one root, by watch key and by path relative to the root.
 *
 * <p>Paths come from this map, not from {@link WatchKey#watchable()}: an inotify watch follows
 * the folder's inode, so after a rename the JDK hands back the old key (with the old path) when
 * the new path is registered. Re-registering remaps the key to where the folder is now.
 */
final class DirectoryWatches {

    private final Path root;
    private final WatchService service;
    private final WatchRegistrar registrar;
    private final Map<WatchKey, String> folderByKey = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<String, WatchKey> keyByFolder = new ConcurrentSkipListMap<>();

    DirectoryWatches(Path root, WatchService service, WatchRegistrar registrar) {
        this.root = root;
        this.service = service;
        this.registrar = registrar;
    }

    void register(String folder) throws IOException {
        Path path = folder.isEmpty() ? root : root.resolve(folder);
        WatchKey key;
        try {
            key = registrar.register(path, service);
        } catch (IOException e) {
            throw WatchLimitException.explain(e, path.toString());
        }
        String previous = folderByKey.put(key, folder);
        if (previous != null && !previous.equals(folder)) {
            keyByFolder.remove(previous, key);
        }
        keyByFolder.put(folder, key);
    }

    /** The folder a key watches, relative to the root, or null once forgotten. */
    String folderOf(WatchKey key) {
        return folderByKey.get(key);
    }

    void forget(WatchKey key) {
        String folder = folderByKey.remove(key);
        if (folder != null) {
            keyByFolder.remove(folder, key);
        }
    }

    /** Stops watching {@code folder} and everything below it (it was deleted or moved away). */
    void cancelUnder(String folder) {
        List<Map.Entry<String, WatchKey>> below = new ArrayList<>();
        WatchKey self = keyByFolder.get(folder);
        if (self != null) {
            below.add(Map.entry(folder, self));
        }
        String prefix = folder + "/";
        below.addAll(keyByFolder.subMap(prefix, true, prefix + Character.MAX_VALUE, true).entrySet());
        for (Map.Entry<String, WatchKey> entry : below) {
            if (folderByKey.remove(entry.getValue(), entry.getKey())) {
                entry.getValue().cancel();
            }
            keyByFolder.remove(entry.getKey(), entry.getValue());
        }
    }

    int count() {
        return keyByFolder.size();
    }
}
