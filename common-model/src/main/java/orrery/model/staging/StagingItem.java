package orrery.model.staging;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One file to place in a session folder.
 *
 * @param name the file name inside the session folder (a plain name or a relative path)
 * @param url where to fetch it: {@code http(s)://}, {@code file:} or {@code vos://}
 */
public record StagingItem(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String url,
        Checks checks) {

    public StagingItem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        checks = checks == null ? Checks.none() : checks;
    }
}
