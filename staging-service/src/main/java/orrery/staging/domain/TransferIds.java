package orrery.staging.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Task ids of transfers started over REST. They live in a namespace of their own, so that no REST
 * caller can pick the id of a broker task (the broker's start with {@code eb-}) or of another
 * caller's transfer: the service chooses them, {@value #REST_PREFIX} followed by 32 hex digits.
 *
 * <p>A caller who gives their own {@code taskId} (to make retries idempotent) gets an id derived
 * from their user name and that taskId (SHA-256), so the same caller and taskId always name the
 * same transfer, and two callers using the same taskId name two different transfers. Without a
 * taskId the id is random. Commands on NATS may not use the prefix.
 */
public final class TransferIds {

    public static final String REST_PREFIX = "rest-";

    private TransferIds() {
    }

    /** The id of a REST transfer by {@code user}, derived from {@code clientTaskId} when given, else random. */
    public static String forCaller(String user, String clientTaskId) {
        if (clientTaskId == null) {
            return REST_PREFIX + UUID.randomUUID().toString().replace("-", "");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((user + "\n" + clientTaskId).getBytes(StandardCharsets.UTF_8));
            return REST_PREFIX + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether {@code taskId} is in the REST namespace (and so not a command id another service may use). */
    public static boolean isRest(String taskId) {
        return taskId != null && taskId.startsWith(REST_PREFIX);
    }
}
