package orrery.model.canfar;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A staged file of the session folder made to appear at another path inside the session: only
 * container sessions can have them (the local backend binds the file into the container; skaha
 * mounts nothing but the session folder).
 *
 * @param item the file's name in the session folder, as staged
 * @param path the absolute path inside the container where it appears
 * @param readOnly whether the session may change it there
 */
public record VolumeMount(
        @JsonProperty(required = true) String item,
        @JsonProperty(required = true) String path,
        boolean readOnly) {

    public VolumeMount {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(path, "path");
    }
}
