package orrery.staging.backend.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import orrery.staging.domain.Digests;
import orrery.staging.domain.StagingRefusals;
import orrery.staging.domain.StoredFile;

/**
 * Session folders on a local disk: {@code <root>/home/{user}/broker/{executionId}/}.
 *
 * <p>A transfer writes {@code .<name>.<taskId>.part} beside its target and publishes it with a
 * hard link, which fails if the name exists, so a finished file appears whole or not at all and
 * is never overwritten. Digests of files already there are computed once and remembered by
 * (path, size, modification time, inode).
 */
public final class LocalStagingStore implements StagingStore {

    private static final int BUFFER = 1 << 20;

    private final Path root;
    private final ConcurrentMap<String, Cached> digests = new ConcurrentHashMap<>();

    public LocalStagingStore(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
    }

    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void ensureFolder(String folder) throws IOException {
        Path target = inside(folder);
        Files.createDirectories(target);
        requireInside(target.toRealPath(), folder);
    }

    @Override
    public Optional<StoredFile> stat(String path) throws IOException {
        Path target = inside(path);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        if (attributes.isSymbolicLink()) {
            throw StagingRefusals.badPath("'" + path + "' is a symbolic link in the session folder; it is not followed");
        }
        if (!attributes.isRegularFile()) {
            throw StagingRefusals.badPath("'" + path + "' exists and is not a regular file");
        }
        requireInside(target.getParent().toRealPath(), path);
        Object inode = attributes.fileKey();
        Cached cached = digests.get(path);
        if (cached != null && cached.matches(attributes.size(), attributes.lastModifiedTime().toMillis(), inode)) {
            return Optional.of(cached.file());
        }
        StoredFile computed = digest(target);
        remember(path, target, computed);
        return Optional.of(computed);
    }

    @Override
    public Upload begin(String path, String taskId, Long expectedSize, String expectedMd5) throws IOException {
        Path target = inside(path);
        Files.createDirectories(target.getParent());
        requireInside(target.getParent().toRealPath(), path);
        return new LocalUpload(path, target, partialOf(target, taskId));
    }

    @Override
    public void discardPartial(String path, String taskId) throws IOException {
        Files.deleteIfExists(partialOf(inside(path), taskId));
    }

    /** Remembers the digests of a file we just wrote, so the next stat does not read it again. */
    void remember(String path, Path target, StoredFile file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        digests.put(path, new Cached(attributes.size(), attributes.lastModifiedTime().toMillis(), attributes.fileKey(), file));
    }

    private static Path partialOf(Path target, String taskId) {
        return target.resolveSibling("." + target.getFileName() + "." + taskId + ".part");
    }

    private Path inside(String relative) {
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw StagingRefusals.badPath("'" + relative + "' leaves the storage root");
        }
        return resolved;
    }

    private void requireInside(Path real, String relative) {
        String[] parts = relative.split("/");
        // home/{user} is the user's own space: nothing may resolve outside it.
        Path userHome = parts.length >= 2 ? root.resolve(parts[0]).resolve(parts[1]) : root;
        if (!real.startsWith(userHome)) {
            throw StagingRefusals.badPath("'" + relative + "' resolves outside the user's folder through a symbolic link");
        }
    }

    private static StoredFile digest(Path file) throws IOException {
        Digests digests = new Digests();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digests.update(buffer, 0, n);
            }
        }
        Digests.Result result = digests.finish();
        return new StoredFile(result.size(), result.md5(), result.sha256());
    }

    private record Cached(long size, long mtime, Object inode, StoredFile file) {
        boolean matches(long size, long mtime, Object inode) {
            return this.size == size && this.mtime == mtime && java.util.Objects.equals(this.inode, inode);
        }
    }

    private final class LocalUpload implements Upload {
        private final String path;
        private final Path target;
        private final Path partial;
        private OutputStream out;
        private FileChannel channel;
        private boolean committed;

        LocalUpload(String path, Path target, Path partial) {
            this.path = path;
            this.target = target;
            this.partial = partial;
        }

        @Override
        public long resumableBytes() {
            try {
                return Files.isRegularFile(partial, LinkOption.NOFOLLOW_LINKS) ? Files.size(partial) : 0;
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public InputStream partial() throws IOException {
            return Files.newInputStream(partial);
        }

        @Override
        public OutputStream open(long offset) throws IOException {
            channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            channel.truncate(offset);
            channel.position(offset);
            out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            return out;
        }

        @Override
        public void commit(StoredFile verified) throws IOException {
            if (out != null) {
                out.flush();
                channel.force(true); // the data is on disk before its name is
                out.close();
                out = null;
            }
            try {
                Files.createLink(target, partial);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("'" + path + "' appeared while it was being staged; it was not overwritten", e);
            }
            Files.delete(partial);
            committed = true;
            remember(path, target, verified);
        }

        @Override
        public void abort() {
            closeStream();
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a stray .part file is harmless and is removed by the next attempt of the task
            }
        }

        @Override
        public void close() {
            if (!committed) {
                closeStream();
            }
        }

        private void closeStream() {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the data is verified before commit; a close failure shows up there
                }
                out = null;
            }
        }
    }
}
