package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;

/**
 * The answer to {@link CanfarQuoteRequest}.
 *
 * @param startup expected time from launch to Running
 * @param feasible false when the platform cannot take this image or size (see {@code reason})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanfarQuote(Duration startup, boolean feasible, String reason) {
}
