package orrery.fswatch.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What the index knows of one file: its stat when last looked at, and the hash last published.
 *
 * <p>A log file has no hash; its {@code size} is the offset up to which its lines were published.
 * {@code revision} is the index store's revision of this entry (0 before it was first stored),
 * which makes event ids unique per change yet equal when the same change is published again
 * after a crash.
 *
 * <p>Compact, as a root may hold millions of these: the stat as four {@code long}s and one byte
 * array holding the SHA-256 digest (32 bytes, absent for a log) and then the path in UTF-8; the
 * path and the hex hash are made when asked for. About 130 bytes for a 20-character path, where a
 * record of Strings took about 230.
 */
public final class IndexEntry {

    private static final int DIGEST_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final long size;
    private final long mtimeNanos;
    private final long inode;
    private final long revision;
    /** [0] is the digest's length (0 or 32), then the digest, then the path in UTF-8. */
    private final byte[] bytes;

    public IndexEntry(String path, long size, long mtimeNanos, long inode, String sha256, long revision) {
        this(pack(Objects.requireNonNull(path, "path"), sha256 == null ? null : HEX.parseHex(sha256)), size,
                mtimeNanos, inode, revision);
    }

    private IndexEntry(byte[] bytes, long size, long mtimeNanos, long inode, long revision) {
        this.bytes = bytes;
        this.size = size;
        this.mtimeNanos = mtimeNanos;
        this.inode = inode;
        this.revision = revision;
    }

    public static IndexEntry file(String path, FileStat stat, String sha256, long revision) {
        return new IndexEntry(path, stat.size(), stat.mtimeNanos(), stat.inode(), Objects.requireNonNull(sha256),
                revision);
    }

    public static IndexEntry log(String path, long publishedUpTo, FileStat stat, long revision) {
        return new IndexEntry(path, publishedUpTo, stat.mtimeNanos(), stat.inode(), null, revision);
    }

    /** A key to look {@code path} up in a {@link FileIndex} with; not an entry of a file. */
    static IndexEntry probe(String path) {
        return new IndexEntry(pack(path, null), 0, 0, 0, 0);
    }

    public String path() {
        int from = pathStart();
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }

    public long size() {
        return size;
    }

    public long mtimeNanos() {
        return mtimeNanos;
    }

    public long inode() {
        return inode;
    }

    /** The lower-case hex SHA-256 last published, or null for a log file. */
    public String sha256() {
        return isLog() ? null : HEX.formatHex(bytes, 1, 1 + DIGEST_BYTES);
    }

    public long revision() {
        return revision;
    }

    public boolean isLog() {
        return bytes[0] == 0;
    }

    /** Whether this entry's hash is {@code sha256} (lower-case hex), without making a String of it. */
    public boolean hasSha256(String sha256) {
        if (isLog() || sha256 == null || sha256.length() != 2 * DIGEST_BYTES) {
            return false;
        }
        for (int i = 0; i < DIGEST_BYTES; i++) {
            if (bytes[1 + i] != (byte) ((Character.digit(sha256.charAt(2 * i), 16) << 4)
                    | Character.digit(sha256.charAt(2 * i + 1), 16))) {
                return false;
            }
        }
        return true;
    }

    /** True if the file was not rewritten since this entry was made (so its hash still holds). */
    public boolean sameStat(FileStat stat) {
        return !isLog() && size == stat.size() && mtimeNanos == stat.mtimeNanos() && inode == stat.inode();
    }

    public FileStat stat() {
        return new FileStat(size, mtimeNanos, inode);
    }

    public Instant mtime() {
        return stat().mtime();
    }

    public IndexEntry withRevision(long newRevision) {
        return new IndexEntry(bytes, size, mtimeNanos, inode, newRevision);
    }

    /** Orders entries by path, byte by byte of UTF-8 (which is the order of code points). */
    static int comparePaths(IndexEntry a, IndexEntry b) {
        return Arrays.compareUnsigned(a.bytes, a.pathStart(), a.bytes.length, b.bytes, b.pathStart(), b.bytes.length);
    }

    /** Whether this entry's path starts with {@code prefix}'s path. */
    boolean pathStartsWith(IndexEntry prefix) {
        int length = prefix.bytes.length - prefix.pathStart();
        int from = pathStart();
        return bytes.length - from >= length && Arrays.equals(bytes, from, from + length, prefix.bytes,
                prefix.pathStart(), prefix.bytes.length);
    }

    private int pathStart() {
        return 1 + bytes[0];
    }

    private static byte[] pack(String path, byte[] digest) {
        byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
        int digestLength = digest == null ? 0 : digest.length;
        if (digestLength != 0 && digestLength != DIGEST_BYTES) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + digestLength);
        }
        byte[] packed = new byte[1 + digestLength + utf8.length];
        packed[0] = (byte) digestLength;
        if (digest != null) {
            System.arraycopy(digest, 0, packed, 1, digestLength);
        }
        System.arraycopy(utf8, 0, packed, 1 + digestLength, utf8.length);
        return packed;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IndexEntry that && size == that.size && mtimeNanos == that.mtimeNanos
                && inode == that.inode && revision == that.revision && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, mtimeNanos, inode, revision, Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "IndexEntry[path=" + path() + ", size=" + size + ", mtimeNanos=" + mtimeNanos + ", inode=" + inode
                + ", sha256=" + sha256() + ", revision=" + revision + "]";
    }
}
