package orrery.canfar.backend.skaha;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** An entry of {@code GET /image}: an image and the session types it is labelled for. */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection
public record SkahaImage(String id, List<String> types, String digest) {
}
