package orrery.canfar.backend;

import java.time.Duration;

/**
 * The platform could not be asked right now (unreachable, rate-limited, 5xx): try again later.
 *
 * @see #retryAfter() the platform's own hint, or null
 */
public class BackendUnavailableException extends RuntimeException {

    private final transient Duration retryAfter;

    public BackendUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
