package orrery.canfar.backend;

import java.time.Instant;

/**
 * Enough about a recorded session for a backend to find it again.
 *
 * @param platformId the platform's id, null while a launch is unconfirmed
 * @param createdAt when the adapter asked for it (to recognise it among the platform's sessions)
 */
public record SessionRef(String sessionId, String platformId, String user, String name, String image,
                         Instant createdAt) {
}
