package orrery.canfar.domain;

import java.time.Instant;
import orrery.model.canfar.SessionStatus;

/**
 * What a backend saw when it looked at a session.
 *
 * @param status null when the platform reported something we cannot map (keep the last status)
 * @param gone the platform no longer knows the session
 * @param expiry when the platform will end the session by itself, if it says
 * @param nextChange when the platform knows the session will change next by itself (a modelled start or
 *        end, {@link SimulatedSession}), or null: the watcher looks then rather than only on its back-off
 */
public record Observation(SessionStatus status, Instant startTime, String connectUrl, Integer exitStatus,
                          String message, Instant expiry, boolean gone, Instant nextChange) {

    /** What a platform that cannot foretell its sessions' changes saw. */
    public Observation(SessionStatus status, Instant startTime, String connectUrl, Integer exitStatus,
                       String message, Instant expiry, boolean gone) {
        this(status, startTime, connectUrl, exitStatus, message, expiry, gone, null);
    }

    public static Observation gone(String message) {
        return new Observation(null, null, null, null, message, null, true);
    }

    public static Observation of(SessionStatus status) {
        return new Observation(status, null, null, null, null, null, false);
    }
}
