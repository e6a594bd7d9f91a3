package orrery.canfar.config;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** The storage root the suite shares ({@code orrery.storage.root}): the staging-service writes into it, sessions run in it. */
@ConfigMapping(prefix = "orrery.storage")
public interface StorageConfig {

    /** The folder session folders ({@code LaunchTask.workdir}) are relative to. */
    Path root();
}
