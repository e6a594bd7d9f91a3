package orrery.staging.backend.source;

import java.io.IOException;

/** The source refused in a way that retrying will not change; the message says what to fix. */
public class PermanentSourceException extends IOException {

    public PermanentSourceException(String message) {
        super(message);
    }
}
