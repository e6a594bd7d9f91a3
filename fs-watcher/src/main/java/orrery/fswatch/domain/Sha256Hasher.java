package orrery.fswatch.domain;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Streaming SHA-256 in constant memory: each hashing thread reuses one direct buffer and one
 * digest, whatever the file size. The JDK's SHA-256 is an intrinsic that uses the CPU's SHA
 * extensions where present, so this runs at about the speed of {@code openssl dgst -sha256}.
 */
public final class Sha256Hasher {

    public static final int DEFAULT_BUFFER_BYTES = 256 * 1024;

    private final ThreadLocal<ByteBuffer> buffers;
    private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(Sha256Hasher::newDigest);

    public Sha256Hasher() {
        this(DEFAULT_BUFFER_BYTES);
    }

    public Sha256Hasher(int bufferBytes) {
        this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(bufferBytes));
    }

    /** The lower-case hex SHA-256 of the file's content. */
    public String hash(Path file) throws IOException {
        return hash(file, Long.MAX_VALUE);
    }

    /**
     * The lower-case hex SHA-256 of the file's first {@code expectedSize} bytes (all of it if shorter),
     * read without the last read that would only find the end: the caller has the file's size from a
     * stat and compares a stat taken afterwards, so a file that grew meanwhile is looked at again.
     */
    public String hash(Path file, long expectedSize) throws IOException {
        MessageDigest digest = digests.get();
        digest.reset();
        ByteBuffer buffer = buffers.get();
        long total = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            buffer.clear();
            int read;
            while (total < expectedSize && (read = channel.read(buffer)) >= 0) {
                total += read;
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The lower-case hex SHA-256 of {@code bytes}. */
    public static String hashOf(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
