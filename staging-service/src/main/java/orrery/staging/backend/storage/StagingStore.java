package orrery.staging.backend.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import orrery.staging.domain.StoredFile;

/**
 * Where session folders live: a local directory tree, or VOSpace. Paths are relative to the
 * store's root and have already passed {@link orrery.staging.domain.SessionPaths}; the store
 * still refuses anything that would leave the user's folder through a symbolic link.
 *
 * <p>Methods block: they are called from the transfer workers and the quotes' look-up threads,
 * never from an event loop.
 */
public interface StagingStore {

    /** The backend's name, as configured ({@code local}, {@code vospace}). */
    String name();

    /** Creates {@code folder} and its parents if absent. */
    void ensureFolder(String folder) throws IOException;

    /** What is at {@code path}, with size and digests, or empty when nothing is there. */
    Optional<StoredFile> stat(String path) throws IOException;

    /**
     * Starts writing {@code path} for task {@code taskId}. Nothing becomes visible under
     * {@code path} until {@link Upload#commit(StoredFile)}, and commit never replaces a file that appeared
     * there meanwhile.
     */
    Upload begin(String path, String taskId, Long expectedSize, String expectedMd5) throws IOException;

    /** Removes what an earlier, interrupted attempt of {@code taskId} left for {@code path}. */
    void discardPartial(String path, String taskId) throws IOException;

    /** A write in progress. */
    interface Upload extends AutoCloseable {

        /** Bytes an earlier attempt of the same task already wrote and that can be continued. */
        long resumableBytes();

        /** Reads back the resumable bytes (to recompute their digests). */
        InputStream partial() throws IOException;

        /** Starts (or continues, from {@code offset}) the data; offset is 0 or {@link #resumableBytes()}. */
        OutputStream open(long offset) throws IOException;

        /** Makes the written file visible under its name, atomically. */
        void commit(StoredFile verified) throws IOException;

        /** Drops what was written. */
        void abort();

        @Override
        void close();
    }
}
