package orrery.staging.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * MD5 and SHA-256 of a stream, computed as it passes: a multi-GiB file is never held in memory.
 * The JDK's implementations use the CPU's SHA and MD5 intrinsics.
 */
public final class Digests {

    private final MessageDigest md5;
    private final MessageDigest sha256;
    private long length;

    public Digests() {
        try {
            md5 = MessageDigest.getInstance("MD5");
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5 or SHA-256", e);
        }
    }

    public void update(byte[] buffer, int offset, int count) {
        md5.update(buffer, offset, count);
        sha256.update(buffer, offset, count);
        length += count;
    }

    /**
     * The two halves of {@link #update}, for callers that hash on two threads: each must still
     * be called in stream order, and {@link #counted} once per chunk.
     */
    public void updateMd5(byte[] buffer, int offset, int count) {
        md5.update(buffer, offset, count);
    }

    public void updateSha256(byte[] buffer, int offset, int count) {
        sha256.update(buffer, offset, count);
    }

    public void counted(int count) {
        length += count;
    }

    public long length() {
        return length;
    }

    /** Finishes both digests; the instance must not be used afterwards. */
    public Result finish() {
        return new Result(length, HexFormat.of().formatHex(md5.digest()), HexFormat.of().formatHex(sha256.digest()));
    }

    /** Size and lower-case hex digests of what passed through. */
    public record Result(long size, String md5, String sha256) {
    }
}
