package orrery.canfar.backend.skaha;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A session as {@code GET /session/{id}} describes it. skaha reports more (resource use, posix
 * ids, ...) and adds fields over time, so unknown fields are ignored here, unlike on our own wire.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection
public record SkahaSession(String id, String userid, String image, String type, String status, String name,
                           String startTime, String expiryTime, String connectURL, String requestedRAM,
                           String requestedCPUCores) {
}
