package orrery.canfar.backend.skaha;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/** skaha answered with an error status; {@link #message()} is what it said (skaha errors are plain text). */
public class SkahaException extends RuntimeException {

    private final int status;
    private final String body;
    private final transient Duration retryAfter;

    public SkahaException(int status, String body, Duration retryAfter) {
        super("skaha answered HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body));
        this.status = status;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    static SkahaException of(Response response) {
        String body;
        try {
            body = response.hasEntity() ? response.readEntity(String.class) : null;
        } catch (RuntimeException e) {
            body = null;
        }
        if (body != null) {
            body = body.strip();
            if (body.length() > 500) {
                body = body.substring(0, 500) + "…";
            }
        }
        return new SkahaException(response.getStatus(), body, retryAfter(response.getHeaderString(HttpHeaders.RETRY_AFTER)));
    }

    public int status() {
        return status;
    }

    /** skaha's own words, or the status line when it said nothing. */
    public String message() {
        return body == null || body.isBlank() ? "HTTP " + status : body;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean isTransient() {
        return status == 429 || status >= 500;
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
