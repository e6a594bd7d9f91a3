package orrery.staging.backend.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import orrery.staging.domain.StoredFile;

/**
 * The simulated backend's store: folders and files are records in memory, nothing touches a disk
 * or a network. A simulated transfer commits the {@link StoredFile} it modelled, so a later
 * transfer or quote of the same item finds it present with the same size and digests. Nothing
 * survives a restart (the task rows in PostgreSQL still answer redelivered commands).
 */
public final class SimulatedStagingStore implements StagingStore {

    private final Set<String> folders = ConcurrentHashMap.newKeySet();
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public void ensureFolder(String folder) {
        folders.add(folder);
    }

    /** Whether {@link #ensureFolder} made {@code folder}. */
    public boolean hasFolder(String folder) {
        return folders.contains(folder);
    }

    @Override
    public Optional<StoredFile> stat(String path) {
        return Optional.ofNullable(files.get(path));
    }

    @Override
    public Upload begin(String path, String taskId, Long expectedSize, String expectedMd5) {
        return new Upload() {
            @Override
            public long resumableBytes() {
                return 0;
            }

            @Override
            public InputStream partial() {
                return InputStream.nullInputStream();
            }

            @Override
            public OutputStream open(long offset) {
                throw new UnsupportedOperationException("the simulated store holds no bytes; transfers only commit");
            }

            @Override
            public void commit(StoredFile verified) throws IOException {
                if (files.putIfAbsent(path, verified) != null) {
                    throw new FileAlreadyExistsException(path, null, "a file appeared there meanwhile");
                }
            }

            @Override
            public void abort() {
                // nothing was written
            }

            @Override
            public void close() {
                // nothing to release
            }
        };
    }

    @Override
    public void discardPartial(String path, String taskId) {
        // no partial files
    }
}
