package orrery.canfar.domain;

import java.time.Instant;
import orrery.model.canfar.SessionStatus;

/**
 * What a backend saw when it looked at a session.
 *
 * @param status null when the platform reported something we cannot map (keep the last status)
 * @param gone the platform no longer knows the session
 * @param expiry when the platform will end the session by itself, if it says
 */
public record Observation(SessionStatus status, Instant startTime, String connectUrl, Integer exitStatus,
                          String message, Instant expiry, boolean gone) {

    public static Observation gone(String message) {
        return new Observation(null, null, null, null, message, null, true);
    }

    public static Observation of(SessionStatus status) {
        return new Observation(status, null, null, null, null, null, false);
    }
}
