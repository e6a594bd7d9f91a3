package orrery.staging.domain;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import orrery.model.staging.Checks;

/**
 * The simulated backend's model of a transfer: nothing is fetched or written; an item of
 * {@code size} bytes (its {@code checks.size}, else {@code defaultSize}) takes size ÷ rate of the
 * service's clock, then passes its checks, unless its URL says otherwise ({@link Failure}).
 * Quotes answer from the same model, so a quote is exactly what the transfer then takes.
 *
 * @param bytesPerSecond the rate of every transfer
 * @param defaultSize the size of an item whose checks give none
 */
public record TransferModel(long bytesPerSecond, long defaultSize) {

    /** The host whose every item fails its MD5 check. */
    public static final String FAILING_HOST = "fail.sim.invalid";
    /** The URL query parameter that names how an item fails: {@code ?sim-fail=checksum}. */
    public static final String FAIL_PARAMETER = "sim-fail";

    /** How the workload wants an item to end. */
    public enum Failure {
        /** It passes its checks. */
        NONE,
        /** Its MD5 differs from the expected one, found after the whole transfer ({@code sim-fail=checksum}). */
        CHECKSUM,
        /** It arrives shorter than expected, found after the whole transfer ({@code sim-fail=size}). */
        SIZE,
        /** The source has no such file: FAILED at once, as an HTTP 404 ({@code sim-fail=missing}). */
        MISSING
    }

    public TransferModel {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("the simulated transfer rate must be more than 0 bytes/s, was " + bytesPerSecond);
        }
        if (defaultSize < 0) {
            throw new IllegalArgumentException("the simulated default size must be 0 bytes or more, was " + defaultSize);
        }
    }

    /** The item's size: the one its checks give, else the default. */
    public long size(Checks checks) {
        return checks.size() != null ? checks.size() : defaultSize;
    }

    /** How long {@code size} bytes take: size ÷ rate, rounded up to the millisecond. */
    public Duration duration(long size) {
        long millis = Math.multiplyExact(size, 1000L);
        return Duration.ofMillis(millis / bytesPerSecond + (millis % bytesPerSecond == 0 ? 0 : 1));
    }

    /** Why quoting or staging {@code size} bytes costs what it does, in words. */
    public String describe(long size, boolean sizeGiven) {
        return size + " bytes" + (sizeGiven ? "" : " (size unknown; simulated as the default)") + " at " + bytesPerSecond
                + " bytes/s (simulated)";
    }

    /**
     * How the item at {@code uri} ends: the {@value #FAIL_PARAMETER} query parameter, or {@link Failure#CHECKSUM}
     * for the host {@value #FAILING_HOST}. An unknown value is a refusal naming the known ones.
     */
    public static Failure failure(URI uri) {
        String wanted = parameter(uri.getRawQuery());
        if (wanted == null) {
            return FAILING_HOST.equalsIgnoreCase(uri.getHost()) ? Failure.CHECKSUM : Failure.NONE;
        }
        for (Failure failure : Failure.values()) {
            if (failure != Failure.NONE && failure.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return failure;
            }
        }
        throw StagingRefusals.disallowedSource(FAIL_PARAMETER + "=" + wanted + " in '" + uri + "' is not one of checksum, "
                + "size, missing (how a simulated transfer fails)");
    }

    /** The file the item becomes: its size, the expected MD5 when given (else one made from the URL), a SHA-256 made from the URL. */
    public StoredFile arrived(URI uri, Checks checks) {
        long size = size(checks);
        String md5 = checks.md5() != null ? checks.md5().toLowerCase(Locale.ROOT) : hex("MD5", "md5", uri, size);
        return new StoredFile(size, md5, hex("SHA-256", "sha256", uri, size));
    }

    /** What differs for an item that is to fail its checks, worded as the real transfer's mismatch. */
    public String mismatch(Failure failure, URI uri, Checks checks) {
        long size = size(checks);
        return switch (failure) {
            case CHECKSUM -> "MD5 mismatch: expected " + arrived(uri, checks).md5() + ", received "
                    + hex("MD5", "corrupted", uri, size) + " (simulated: the workload asked for it)";
            case SIZE -> "size mismatch: expected " + size + " bytes, received " + size / 2
                    + " (simulated: the workload asked for it)";
            case MISSING -> "the source answered HTTP 404 Not Found for " + uri + " (simulated: the workload asked for it)";
            case NONE -> null;
        };
    }

    private static String parameter(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (FAIL_PARAMETER.equals(name)) {
                return equals < 0 ? "" : pair.substring(equals + 1).toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** A digest made from what identifies the item, so that the same item always gets the same one. */
    private static String hex(String algorithm, String purpose, URI uri, long size) {
        try {
            byte[] text = ("orrery simulated " + purpose + "\n" + uri + "\n" + size).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }
}
