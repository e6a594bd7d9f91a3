package orrery.deps.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code orrery.deps.*}: how builds are run. */
@ConfigMapping(prefix = "orrery.deps")
public interface DependencyManagerConfig {

    /** How many build tasks may be out at once. */
    @WithDefault("4")
    int maxParallel();

    /** How many rounds a cycle gets to reach its fixed point. */
    @WithDefault("5")
    int maxRounds();

    /** Start a build by itself when a source file changes. */
    @WithDefault("true")
    boolean autoBuild();

    /** How long a build task may stay without a report before it counts as failed. */
    @WithDefault("PT30M")
    Duration taskTimeout();

    /** How long to wait for a builder's answer on {@code rules.howto}. */
    @WithDefault("PT2S")
    Duration howtoTimeout();

    /** How many finished builds are kept in memory (older ones are read from the database). */
    @WithDefault("200")
    int recentBuilds();
}
